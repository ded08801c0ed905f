using System.Globalization;
using Pipeline.Datasets.Collection;
using Pipeline.Datasets.Monthly;
using Pipeline.Datasets.Storage;
using Sentiment.Reviews;

namespace Pipeline.Datasets;

/// <summary>
/// The CronJobs' entry point: <c>pipeline-datasets collect-daily</c> and <c>pipeline-datasets create-monthly [--year Y --month M]</c>.
/// Storage: <c>--storage s3://bucket/prefix</c> (with <c>--s3-endpoint</c>) or a folder; reviews: <c>--postgres</c> or <c>--sqlite</c>.
/// Exit codes: 0 done, 1 a data-quality check failed, 2 bad arguments.
/// </summary>
public static class DatasetCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var options = Options.Parse(args);
            var store = StorageFactory.Create(options.Get("storage") ?? "artifacts/object-store", options.Get("s3-endpoint"), Environment.GetEnvironmentVariable);
            switch (options.Command)
            {
                case "collect-daily":
                    var reviews = ReviewStore.Create(options.Get("postgres") ?? Environment.GetEnvironmentVariable("REVIEWS_POSTGRES"), options.Get("sqlite") ?? "artifacts/reviews.db");
                    var daily = await DailyCollector.CollectAsync(store, new DatabaseReviewSource(reviews), DateTimeOffset.UtcNow);
                    output.WriteLine($"collected {daily.Rows} row(s) into {daily.Days.Count} day folder(s) of {store.Location}");
                    return 0;
                case "create-monthly":
                    var (year, month) = options.Get("year") is { } y && options.Get("month") is { } m
                        ? (int.Parse(y, CultureInfo.InvariantCulture), int.Parse(m, CultureInfo.InvariantCulture))
                        : MonthlyBuilder.PreviousMonth(DateTimeOffset.UtcNow);
                    var monthly = await MonthlyBuilder.CreateAsync(store, year, month, new QualityOptions());
                    output.WriteLine($"{year:0000}-{month:00}: verified {monthly.Verified.Rows} rows ({monthly.Verified.Version}), full {monthly.Full.Rows} rows ({monthly.Full.Version})");
                    foreach (var flag in monthly.Flags)
                    {
                        output.WriteLine("flag: " + flag);
                    }

                    return 0;
                default:
                    throw new ArgumentException($"unknown command '{options.Command}'; use collect-daily or create-monthly.");
            }
        }
        catch (DataQualityException ex)
        {
            error.WriteLine(ex.Message);
            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or Pipeline.Data.DvcException)
        {
            error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }

    private sealed record Options(string Command, Dictionary<string, string> Values)
    {
        public string? Get(string name) => Values.GetValueOrDefault(name);

        public static Options Parse(string[] args)
        {
            if (args.Length == 0)
            {
                throw new ArgumentException("usage: pipeline-datasets collect-daily|create-monthly [--storage …] [--year Y --month M]");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i < args.Length; i++)
            {
                var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value."));
                values[name.TrimStart('-')] = value;
            }

            return new Options(args[0], values);
        }
    }
}

/// <summary>Picks the storage back end from a location: <c>s3://…</c>, or a folder.</summary>
public static class StorageFactory
{
    public static IObjectStorage Create(string location, string? endpoint, Func<string, string?> environment) =>
        location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
            ? new S3ObjectStorage(location, endpoint, environment)
            : new LocalObjectStorage(location);
}
