using System.Text.Json;
using Pipeline.Collection.Daily;
using Pipeline.Collection.Storage;
using Pipeline.Testing;

namespace Pipeline.Collection.Tests;

/// <summary>The two storage back ends every flow test runs against: a local folder and a real S3-compatible server.</summary>
public static class Stores
{
    /// <summary>Both, except in the fast lane (TestFast), which runs no servers.</summary>
    public static TheoryData<string> Kinds =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_LANE") == "fast" ? ["local"] : ["local", "s3"];

    public static async Task<IObjectStorage> CreateAsync(string kind, TempDirectory temp)
    {
        if (kind == "local")
        {
            return new LocalObjectStorage(temp.Combine("store"));
        }

        var (server, reason) = await S3rverServer.GetAsync();
        Skip.If(server is null, reason);
        var credentials = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
        };
        return new S3ObjectStorage(
            $"s3://datasets/{Guid.NewGuid():N}",
            server!.Endpoint,
            credentials.GetValueOrDefault
        );
    }

    public static long At(string utc) =>
        DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public static async Task<JsonElement> JsonAsync(IObjectStorage store, string key) =>
        JsonDocument.Parse((await store.ReadAsync(key))!).RootElement;
}

/// <summary>An in-memory review source standing in for the reviews database (the database itself is tested in the API tests).</summary>
public sealed class ListSource : IReviewSource
{
    public List<CandidateRow> Rows { get; } = [];

    public Task<IReadOnlyList<CandidateRow>> ChangedAsync(
        long since,
        long until,
        CancellationToken cancellationToken = default
    ) =>
        Task.FromResult<IReadOnlyList<CandidateRow>>([
            .. Rows.Where(r => r.ChangedAt > since && r.ChangedAt <= until).OrderBy(r => r.ReviewId),
        ]);

    public CandidateRow Add(
        long id,
        string text,
        string predicted,
        string? verified,
        string whenUtc,
        string model = "v1"
    )
    {
        var row = new CandidateRow(id, text, predicted, verified, model, Stores.At(whenUtc));
        Rows.RemoveAll(r => r.ReviewId == id);
        Rows.Add(row);
        return row;
    }
}
