using System.Text.Json;
using Pipeline.Collection.Storage;
using Pipeline.Core.IO;

namespace Pipeline.Collection.Daily;

/// <summary>Where review rows come from: the API's reviews database, rows changed (created or given feedback) in a window.</summary>
public interface IReviewSource
{
    Task<IReadOnlyList<CandidateRow>> ChangedAsync(
        long since,
        long until,
        CancellationToken cancellationToken = default
    );
}

/// <summary>Opens the reviews database a workload serves from: PostgreSQL when a connection string is given, else a SQLite file.</summary>
public interface IReviewSourceFactory
{
    /// <summary>The source and a description of it for the log (never the password).</summary>
    (IReviewSource Source, string Description) Open(string? postgresConnectionString, string sqlitePath);
}

public sealed record DailyResult(IReadOnlyList<DateOnly> Days, int Rows, long Watermark);

/// <summary>
/// Daily collection: every review stored or given feedback since the last successful collection goes into
/// <c>candidates/&lt;UTC day&gt;/reviews.csv</c> with a manifest. The watermark is kept in the store and moved only
/// after every write succeeded, so a missed day is caught up and a re-run never collects a row twice.
/// </summary>
public static class DailyCollector
{
    private static readonly JsonSerializerOptions Json = JsonFile.Indented;

    public static async Task<DailyResult> CollectAsync(
        IObjectStorage store,
        IReviewSource source,
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    )
    {
        var until = now.ToUnixTimeMilliseconds();
        var watermark = await ReadWatermarkAsync(store, cancellationToken);
        if (watermark >= until)
        {
            return new DailyResult([], 0, watermark);
        }

        var rows = await source.ChangedAsync(watermark, until, cancellationToken);
        var byDay = rows.GroupBy(r => Day(r.ChangedAt)).ToDictionary(g => g.Key, g => g.ToList());
        // Every day since the last collection gets a folder, so a day with no reviews is visible (and flagged).
        var first = watermark == 0 ? byDay.Keys.DefaultIfEmpty(Day(until)).Min() : Day(watermark);
        var days = new List<DateOnly>();
        for (var day = first; day <= Day(until); day = day.AddDays(1))
        {
            days.Add(day);
            await WriteDayAsync(store, day, byDay.GetValueOrDefault(day) ?? [], cancellationToken);
        }

        await store.WriteAsync(
            DatasetKeys.Watermark,
            JsonSerializer.SerializeToUtf8Bytes(
                new Dictionary<string, object>
                {
                    ["last_collected_until_ms"] = until,
                    ["last_run_utc"] = now.UtcDateTime.ToString("O"),
                },
                Json
            ),
            cancellationToken
        );
        return new DailyResult(days, rows.Count, until);
    }

    public static async Task<long> ReadWatermarkAsync(
        IObjectStorage store,
        CancellationToken cancellationToken = default
    )
    {
        var content = await store.ReadAsync(DatasetKeys.Watermark, cancellationToken);
        if (content is null)
        {
            return 0;
        }

        using var json = JsonDocument.Parse(content);
        return json.RootElement.GetProperty("last_collected_until_ms").GetInt64();
    }

    private static async Task WriteDayAsync(
        IObjectStorage store,
        DateOnly day,
        List<CandidateRow> rows,
        CancellationToken cancellationToken
    )
    {
        var csvKey = DatasetKeys.Candidate(day, "reviews.csv");
        var existing = await store.ReadAsync(csvKey, cancellationToken) is { } bytes
            ? DatasetFiles.ReadCsv(bytes, $"{store.Location}/{csvKey}").Select(CandidateRow.Parse).ToList()
            : [];
        // A review collected before and given feedback since becomes its newer version.
        var merged = existing
            .Concat(rows)
            .GroupBy(r => r.ReviewId)
            .Select(g => g.OrderBy(r => r.ChangedAt).Last())
            .OrderBy(r => r.ChangedAt)
            .ThenBy(r => r.ReviewId)
            .ToList();
        var csv = DatasetFiles.WriteCsv(CandidateRow.Header, merged.Select(r => r.Fields));
        await store.WriteAsync(csvKey, csv, cancellationToken);

        var flags = merged.Count == 0 ? new[] { "no rows collected for this day" } : [];
        var manifest = new Dictionary<string, object?>
        {
            ["date"] = day.ToString("yyyy-MM-dd"),
            ["rows"] = merged.Count,
            ["labels"] = merged
                .GroupBy(r => r.Label)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            ["verified"] = merged.Count(r => r.VerifiedSentiment is not null),
            ["unverified"] = merged.Count(r => r.VerifiedSentiment is null),
            ["model_versions"] = merged
                .GroupBy(r => r.ModelVersion)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            ["source_range"] = new Dictionary<string, object?>
            {
                ["from_ms"] = merged.Count == 0 ? null : merged.Min(r => r.ChangedAt),
                ["to_ms"] = merged.Count == 0 ? null : merged.Max(r => r.ChangedAt),
            },
            ["files"] = new Dictionary<string, string> { ["reviews.csv"] = DatasetFiles.Sha256(csv) },
            ["flags"] = flags,
        };
        await store.WriteAsync(
            DatasetKeys.Candidate(day, "manifest.json"),
            JsonSerializer.SerializeToUtf8Bytes(manifest, Json),
            cancellationToken
        );
    }

    private static DateOnly Day(long epochMs) =>
        DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime);
}
