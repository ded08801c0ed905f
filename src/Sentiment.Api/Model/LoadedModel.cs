using Microsoft.Extensions.ObjectPool;
using Sentiment.Model;

namespace Sentiment.Api.Model;

/// <summary>What is being served: the model's run, registered version, commit, data and metrics, and when it was loaded.</summary>
public sealed record ModelInfo(
    string? RunId,
    string? RegisteredModel,
    string? Version,
    string? Commit,
    string? DatasetMd5,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset LoadedAt,
    string Path
)
{
    /// <summary>The label users see: "v3", or the run id's start when the model is not registered.</summary>
    public string Label =>
        Version is { } v ? $"v{v}"
        : RunId is { Length: >= 8 } r ? r[..8]
        : "unversioned";
}

/// <summary>The model that answered a prediction: its label and run id.</summary>
public sealed record ModelRef(string Version, string? RunId);

/// <summary>One loaded model and its pool of prediction engines; swapped whole on reload.</summary>
public sealed class LoadedModel(SentimentPredictor predictor, ModelInfo info)
{
    private readonly ObjectPool<SentimentEngine> _engines = new DefaultObjectPool<SentimentEngine>(
        new EnginePolicy(predictor),
        Environment.ProcessorCount * 4
    );

    public ModelInfo Info { get; } = info;

    /// <summary>Made once per model, not per response.</summary>
    public ModelRef Reference { get; } = new(info.Label, info.RunId);

    public SentimentPredictor Predictor { get; } = predictor;

    /// <summary>A PredictionEngine (inside each <see cref="SentimentEngine"/>) is not thread-safe: each call borrows one from the pool and returns it.</summary>
    public SentimentPrediction Predict(string text)
    {
        var engine = _engines.Get();
        try
        {
            var output = new SentimentPrediction();
            engine.Predict(text, ref output);
            return output;
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private sealed class EnginePolicy(SentimentPredictor predictor) : IPooledObjectPolicy<SentimentEngine>
    {
        public SentimentEngine Create() => predictor.CreateEngine();

        public bool Return(SentimentEngine obj) => true;
    }
}
