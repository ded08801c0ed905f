using Prometheus;

namespace Sentiment.Api.Infrastructure;

/// <summary>The service's own Prometheus metrics; request latency histograms come from prometheus-net's HTTP middleware.</summary>
public static class ServiceMetrics
{
    public static readonly Counter Predictions = Metrics.CreateCounter(
        "sentiment_predictions_total",
        "Predictions served, by predicted label.",
        new CounterConfiguration { LabelNames = ["label"] }
    );

    // The two labels the model predicts, looked up once instead of on every prediction.
    private static readonly Counter.Child Positive = Predictions.WithLabels("positive");
    private static readonly Counter.Child Negative = Predictions.WithLabels("negative");

    public static readonly Gauge ModelInfo = Metrics.CreateGauge(
        "sentiment_model_info",
        "The model being served (value 1), by version and run id.",
        new GaugeConfiguration { LabelNames = ["version", "run_id"] }
    );

    public static readonly Counter ModelReloads = Metrics.CreateCounter(
        "sentiment_model_reloads_total",
        "Models loaded since start-up."
    );

    public static void CountPrediction(string label) =>
        (
            label switch
            {
                "positive" => Positive,
                "negative" => Negative,
                _ => Predictions.WithLabels(label),
            }
        ).Inc();

    public static void ServeModel(Model.ModelInfo info)
    {
        foreach (var labels in ModelInfo.GetAllLabelValues().ToList())
        {
            ModelInfo.RemoveLabelled(labels);
        }

        ModelInfo.WithLabels(info.Label, info.RunId ?? "unknown").Set(1);
        ModelReloads.Inc();
    }
}
