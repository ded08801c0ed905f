using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sentiment.Model;

/// <summary>
/// Scores reviews with a saved model: the model's own <see cref="TextFeaturizer"/>, then the ML.NET classifier through
/// a prediction engine. Engines are not thread-safe, so each thread (or pooled borrower) uses its own
/// <see cref="SentimentEngine"/>; a batch is split across cores, one engine each.
/// </summary>
public sealed class SentimentPredictor
{
    private const int MinimumPartition = 256;
    private readonly MLContext _ml;
    private readonly SchemaDefinition _input;

    private SentimentPredictor(MLContext ml, ITransformer model, TextFeaturizer featurizer)
    {
        _ml = ml;
        Model = model;
        Featurizer = featurizer;
        _input = FeatureRow.Schema(featurizer.Length);
    }

    public ITransformer Model { get; }

    public TextFeaturizer Featurizer { get; }

    public static SentimentPredictor Load(string modelZip)
    {
        var (ml, model, featurizer) = SentimentModelLoader.Load(modelZip);
        return new SentimentPredictor(ml, model, featurizer);
    }

    /// <summary>An engine for one thread at a time; pool these for concurrent single predictions.</summary>
    public SentimentEngine CreateEngine() =>
        new(Featurizer, _ml.Model.CreatePredictionEngine<FeatureRow, SentimentPrediction>(Model, inputSchemaDefinition: _input));

    public SentimentPrediction Predict(string review)
    {
        using var engine = CreateEngine();
        return engine.Predict(review);
    }

    /// <summary>Scores a batch on every core, one engine per thread.</summary>
    public SentimentPrediction[] PredictBatch(IReadOnlyList<string> reviews, int? degreeOfParallelism = null)
    {
        var results = new SentimentPrediction[reviews.Count];
        var workers = Math.Max(1, Math.Min(degreeOfParallelism ?? Environment.ProcessorCount, (reviews.Count + MinimumPartition - 1) / MinimumPartition));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var engine = CreateEngine();
            for (var i = worker; i < reviews.Count; i += workers)
            {
                results[i] = engine.Predict(reviews[i]);
            }
        });
        return results;
    }
}

/// <summary>One prediction engine with its featurizing buffers: not thread-safe, cheap to reuse.</summary>
public sealed class SentimentEngine(TextFeaturizer featurizer, PredictionEngine<FeatureRow, SentimentPrediction> engine) : IDisposable
{
    private readonly TextFeaturizer.Scratch _scratch = new();
    private readonly FeatureRow _row = new();
    private VBuffer<float> _features;

    public SentimentPrediction Predict(string review)
    {
        var output = new SentimentPrediction();
        Predict(review, ref output);
        return output;
    }

    public void Predict(string review, ref SentimentPrediction output)
    {
        featurizer.Featurize(review, _scratch, ref _features);
        _row.Features = _features;
        engine.Predict(_row, ref output);
    }

    public void Dispose() => engine.Dispose();
}
