using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Collection.Storage;
using Pipeline.Core.IO;

namespace Pipeline.Collection.Monthly;

/// <summary>Thresholds the monthly data-quality checks enforce.</summary>
public sealed record QualityOptions(double MinClassShare = 0.2, double MaxDuplicateShare = 0.3)
{
    public static readonly string[] AllowedLabels = ["positive", "negative"];
}

public sealed record MonthlyDataset(
    string Kind,
    int Rows,
    IReadOnlyDictionary<string, int> Labels,
    int DuplicatesRemoved,
    string Sha256,
    string Version
);

public sealed record MonthlyResult(
    int Year,
    int Month,
    MonthlyDataset Verified,
    MonthlyDataset Full,
    IReadOnlyList<string> Flags
);

/// <summary>A quality check failed: nothing was written for the month.</summary>
public sealed class DataQualityException(IReadOnlyList<string> failures)
    : Exception("Data-quality checks failed, nothing was written:\n  " + string.Join("\n  ", failures))
{
    public IReadOnlyList<string> Failures { get; } = failures;
}

/// <summary>
/// Monthly creation for one UTC month: verified = gold + the month's verified candidates; full = gold + all the
/// month's candidates. Both are de-duplicated by normalized text and checked (empty texts, labels, class balance,
/// duplicate share) before anything is written; each gets reviews.csv, manifest.json, dataset_info.md and version.txt.
/// </summary>
public static class MonthlyBuilder
{
    private static readonly JsonSerializerOptions Json = JsonFile.Indented;

    public static (int Year, int Month) PreviousMonth(DateTimeOffset now)
    {
        var first = new DateTime(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(
            -1
        );
        return (first.Year, first.Month);
    }

    public static async Task<MonthlyResult> CreateAsync(
        IObjectStorage store,
        int year,
        int month,
        QualityOptions quality,
        CancellationToken cancellationToken = default
    )
    {
        if (month is < 1 or > 12 || year is < 2000 or > 9999)
        {
            throw new ArgumentException($"--year {year} --month {month} is not a month.");
        }

        var gold = new List<(string Text, string Label, string Source)>();
        foreach (
            var key in (await store.ListAsync(DatasetKeys.Gold, cancellationToken)).Where(k =>
                k.EndsWith(".csv", StringComparison.Ordinal)
            )
        )
        {
            var rows = DatasetFiles.ReadCsv(
                (await store.ReadAsync(key, cancellationToken))!,
                $"{store.Location}/{key}"
            );
            gold.AddRange(
                rows.Select(r => (r[0], r.Length > 1 ? r[1].Trim().ToLowerInvariant() : string.Empty, "gold"))
            );
        }

        var prefix = $"{DatasetKeys.Candidates}{year:0000}-{month:00}-";
        var dayKeys = (await store.ListAsync(prefix, cancellationToken))
            .Where(k => k.EndsWith("/reviews.csv", StringComparison.Ordinal))
            .ToList();
        var candidates = new List<CandidateRow>();
        foreach (var key in dayKeys)
        {
            candidates.AddRange(
                DatasetFiles
                    .ReadCsv((await store.ReadAsync(key, cancellationToken))!, $"{store.Location}/{key}")
                    .Select(CandidateRow.Parse)
            );
        }

        var flags = new List<string>();
        var daysInMonth = DateTime.DaysInMonth(year, month);
        var collected = dayKeys.Select(k => k[DatasetKeys.Candidates.Length..][..10]).ToHashSet();
        var emptyDays = new List<string>();
        foreach (var key in dayKeys)
        {
            var day = key[DatasetKeys.Candidates.Length..][..10];
            if (DatasetFiles.ReadCsv((await store.ReadAsync(key, cancellationToken))!, key).Count == 0)
            {
                emptyDays.Add(day);
            }
        }

        var missing = Enumerable
            .Range(1, daysInMonth)
            .Select(d => $"{year:0000}-{month:00}-{d:00}")
            .Where(d => !collected.Contains(d))
            .ToList();
        if (emptyDays.Count > 0)
        {
            flags.Add($"days with zero rows collected: {string.Join(", ", emptyDays)}");
        }

        if (missing.Count > 0)
        {
            flags.Add($"days never collected: {missing.Count} of {daysInMonth}");
        }

        var verified = gold.Concat(
                candidates
                    .Where(c => c.VerifiedSentiment is not null)
                    .Select(c => (c.Text, c.VerifiedSentiment!, $"candidate {c.ReviewId}"))
            )
            .ToList();
        var full = gold.Concat(candidates.Select(c => (c.Text, c.Label, $"candidate {c.ReviewId}"))).ToList();
        var failures = new List<string>();
        var verifiedRows = Deduplicate("verified", verified, quality, failures);
        var fullRows = Deduplicate("full", full, quality, failures);
        if (failures.Count > 0)
        {
            throw new DataQualityException(failures);
        }

        var sources = new Dictionary<string, object?>
        {
            ["gold_rows"] = gold.Count,
            ["candidate_days"] = dayKeys.Count,
            ["candidate_rows"] = candidates.Count,
        };
        var verifiedResult = await WriteAsync(
            store,
            "verified",
            year,
            month,
            verifiedRows,
            verified.Count,
            sources,
            flags,
            cancellationToken
        );
        var fullResult = await WriteAsync(
            store,
            "full",
            year,
            month,
            fullRows,
            full.Count,
            sources,
            flags,
            cancellationToken
        );
        return new MonthlyResult(year, month, verifiedResult, fullResult, flags);
    }

    private static List<(string Text, string Label, string Source)> Deduplicate(
        string kind,
        List<(string Text, string Label, string Source)> rows,
        QualityOptions quality,
        List<string> failures
    )
    {
        var empty = rows.Where(r => string.IsNullOrWhiteSpace(r.Text)).ToList();
        if (empty.Count > 0)
        {
            failures.Add($"{kind}: {empty.Count} empty text(s), e.g. {empty[0].Source}");
        }

        var badLabels = rows.Where(r => !QualityOptions.AllowedLabels.Contains(r.Label)).ToList();
        if (badLabels.Count > 0)
        {
            failures.Add(
                $"{kind}: {badLabels.Count} label(s) outside {string.Join("/", QualityOptions.AllowedLabels)}, e.g. '{badLabels[0].Label}' ({badLabels[0].Source})"
            );
        }

        var unique = rows.Where(r => !string.IsNullOrWhiteSpace(r.Text))
            .DistinctBy(r => DatasetFiles.Normalize(r.Text))
            .ToList();
        var duplicates = rows.Count - empty.Count - unique.Count;
        if (rows.Count > 0 && (double)duplicates / rows.Count > quality.MaxDuplicateShare)
        {
            failures.Add(
                $"{kind}: {duplicates} of {rows.Count} rows are duplicates ({(double)duplicates / rows.Count:P0}, more than {quality.MaxDuplicateShare:P0})"
            );
        }

        if (unique.Count == 0)
        {
            failures.Add($"{kind}: no rows (no gold data and no candidates this month)");
        }
        else
        {
            var minority = QualityOptions.AllowedLabels.Min(l => unique.Count(r => r.Label == l));
            if ((double)minority / unique.Count < quality.MinClassShare)
            {
                failures.Add(
                    $"{kind}: class imbalance: the smaller class is {(double)minority / unique.Count:P0} of {unique.Count} rows (at least {quality.MinClassShare:P0} required)"
                );
            }
        }

        return unique;
    }

    private static async Task<MonthlyDataset> WriteAsync(
        IObjectStorage store,
        string kind,
        int year,
        int month,
        List<(string Text, string Label, string Source)> rows,
        int before,
        Dictionary<string, object?> sources,
        List<string> flags,
        CancellationToken cancellationToken
    )
    {
        var csv = DatasetFiles.WriteCsv(["review", "sentiment"], rows.Select(r => new[] { r.Text, r.Label }));
        var sha = DatasetFiles.Sha256(csv);
        var version = $"{year:0000}-{month:00}+{sha[..12]}";
        var labels = rows.GroupBy(r => r.Label)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        var info = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"# {kind} dataset {year:0000}-{month:00}\n\n")
            .Append(
                CultureInfo.InvariantCulture,
                $"- rows: {rows.Count} (from {before}; {before - rows.Count} duplicates or empty texts removed)\n"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"- class balance: {string.Join(", ", labels.Select(l => $"{l.Key} {l.Value} ({(double)l.Value / Math.Max(1, rows.Count):P1})"))}\n"
            )
            .Append(
                CultureInfo.InvariantCulture,
                $"- sources: {sources["gold_rows"]} gold rows, {sources["candidate_rows"]} candidate rows from {sources["candidate_days"]} day(s)\n"
            )
            .Append(CultureInfo.InvariantCulture, $"- version: {version}\n")
            .Append(flags.Count == 0 ? string.Empty : "\n## Flags\n\n" + string.Concat(flags.Select(f => $"- {f}\n")))
            .ToString();
        var manifest = new Dictionary<string, object?>
        {
            ["kind"] = kind,
            ["month"] = $"{year:0000}-{month:00}",
            ["version"] = version,
            ["rows"] = rows.Count,
            ["labels"] = labels,
            ["duplicates_removed"] = before - rows.Count,
            ["sources"] = sources,
            ["flags"] = flags,
            ["files"] = new Dictionary<string, string>
            {
                ["reviews.csv"] = sha,
                ["dataset_info.md"] = DatasetFiles.Sha256(Encoding.UTF8.GetBytes(info)),
                ["version.txt"] = DatasetFiles.Sha256(Encoding.UTF8.GetBytes(version + "\n")),
            },
        };
        // The manifest goes last: its presence means the month's files are complete.
        await store.WriteAsync(DatasetKeys.Monthly(kind, year, month, "reviews.csv"), csv, cancellationToken);
        await store.WriteAsync(
            DatasetKeys.Monthly(kind, year, month, "dataset_info.md"),
            Encoding.UTF8.GetBytes(info),
            cancellationToken
        );
        await store.WriteAsync(
            DatasetKeys.Monthly(kind, year, month, "version.txt"),
            Encoding.UTF8.GetBytes(version + "\n"),
            cancellationToken
        );
        await store.WriteAsync(
            DatasetKeys.Monthly(kind, year, month, "manifest.json"),
            JsonSerializer.SerializeToUtf8Bytes(manifest, Json),
            cancellationToken
        );
        return new MonthlyDataset(kind, rows.Count, labels, before - rows.Count, sha, version);
    }
}
