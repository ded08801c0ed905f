using System.Diagnostics;
using System.Globalization;
using Pipeline.Core.Csv;
using Sentiment.Model;

namespace Pipeline.Bench;

/// <summary>Single-prediction latency (one engine, sequential) and batch throughput (all cores) of a saved model.</summary>
internal static class PredictBench
{
    public static void Run(string modelZip, string csv, int runs)
    {
        var reviews = CsvReader.ReadFile(csv).Skip(1).Select(r => r.Fields[0]).ToList();
        var predictor = SentimentPredictor.Load(modelZip);
        using var engine = predictor.CreateEngine();
        // Warm, as a serving process is: long enough for the JIT to tier up the hot path (bounded in time and count).
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 1_000_000 && warming.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            engine.Predict(reviews[i % reviews.Count]);
        }

        var latencies = new List<double>();
        foreach (var review in reviews.Take(2000))
        {
            var clock = Stopwatch.StartNew();
            engine.Predict(review);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var featurizing = new List<double>();
        var scratch = new TextFeaturizer.Scratch();
        var features = default(Microsoft.ML.Data.VBuffer<float>);
        foreach (var review in reviews.Take(2000))
        {
            var clock = Stopwatch.StartNew();
            predictor.Featurizer?.Featurize(review, scratch, ref features);
            featurizing.Add(clock.Elapsed.TotalMilliseconds);
        }

        featurizing.Sort();
        predictor.PredictBatch(reviews.Take(1000).ToList());
        var batch = Measure.Median(runs, () => { }, () => predictor.PredictBatch(reviews));
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| single prediction latency (p50 / p99, real-length reviews) | {latencies[latencies.Count / 2]:0.000} ms / {latencies[(int)(latencies.Count * 0.99)]:0.000} ms |"
            )
        );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| of which featurizing (p50 / p99) | {featurizing[featurizing.Count / 2]:0.000} ms / {featurizing[(int)(featurizing.Count * 0.99)]:0.000} ms |"
            )
        );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| batch prediction, {reviews.Count:N0} reviews, {Environment.ProcessorCount} cores | {reviews.Count / batch.TotalSeconds:N0} reviews/s |"
            )
        );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| model size (model.zip) | {new FileInfo(modelZip).Length / 1_000_000.0:0.0} MB |"
            )
        );
    }
}
