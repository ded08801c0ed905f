using System.Globalization;
using Pipeline.Testing;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
using Pipeline.Tracking.Rest;

namespace Pipeline.Bench;

/// <summary>Issue 5's benchmark: logging 10,000 metric points to the FileStore and through the REST client to a loopback server.</summary>
internal static class TrackingBench
{
    private const int Points = 10_000;

    public static void Run(int runs)
    {
        var metrics = Enumerable
            .Range(0, Points)
            .Select(i => new Metric("loss", 1.0 / (i + 1), 1_795_393_000_000 + i, i))
            .ToList();
        using var temp = new TempDirectory("bench-tracking");
        var file = new FileTrackingStore(temp.Combine("mlruns"));
        var fileExperiment = file.CreateExperimentAsync("bench").GetAwaiter().GetResult();
        Row("FileStore, one log-batch call", runs, () => Batch(file, fileExperiment, metrics));
        Row("FileStore, one call per point", runs, () => OneByOne(file, fileExperiment, metrics));

        var server = MlflowStandInServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            using var client = new MlflowRestStore(server.Url, _ => null, RetryPolicy.None);
            var restExperiment = client.CreateExperimentAsync("bench").GetAwaiter().GetResult();
            Row(
                "REST client → loopback server, log-batch (10 requests of 1,000)",
                runs,
                () => Batch(client, restExperiment, metrics)
            );
            Row(
                "REST client → loopback server, one log-metric request per point",
                1,
                () =>
                {
                    var run = client
                        .CreateRunAsync(restExperiment, "bench", 1, new Dictionary<string, string>())
                        .GetAwaiter()
                        .GetResult();
                    foreach (var metric in metrics)
                    {
                        client.LogMetricAsync(run.RunId, metric).GetAwaiter().GetResult();
                    }
                }
            );
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Batch(ITrackingStore store, string experiment, List<Metric> metrics)
    {
        var run = store
            .CreateRunAsync(experiment, "bench", 1, new Dictionary<string, string>())
            .GetAwaiter()
            .GetResult();
        store
            .LogBatchAsync(
                run.RunId,
                new RunBatch(metrics, new Dictionary<string, string>(), new Dictionary<string, string>())
            )
            .GetAwaiter()
            .GetResult();
    }

    private static void OneByOne(
        Pipeline.Tracking.FileStore.FileTrackingStore store,
        string experiment,
        List<Metric> metrics
    )
    {
        var run = store
            .CreateRunAsync(experiment, "bench", 1, new Dictionary<string, string>())
            .GetAwaiter()
            .GetResult();
        foreach (var metric in metrics)
        {
            store
                .LogBatchAsync(
                    run.RunId,
                    new RunBatch([metric], new Dictionary<string, string>(), new Dictionary<string, string>())
                )
                .GetAwaiter()
                .GetResult();
        }
    }

    private static void Row(string label, int runs, Action action)
    {
        var time = Measure.Median(runs, () => { }, action);
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| {label} | {time.TotalSeconds:0.000} s | {Points / time.TotalSeconds:N0} points/s |"
            )
        );
    }
}
