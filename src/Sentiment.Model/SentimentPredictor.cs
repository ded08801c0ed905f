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

    private SentimentPredictor(MLContext ml, ITransformer model, TextFeaturizer? featurizer)
    {
        _ml = ml;
        Model = model;
        Featurizer = featurizer;
        _input = featurizer is null
            ? SchemaDefinition.Create(typeof(SentimentInput))
            : FeatureRow.Schema(featurizer.Length);
    }

    public ITransformer Model { get; }

    /// <summary>The model's featurizer; null for a model that featurizes inside ML.NET (<c>featurizer=mlnet</c>).</summary>
    public TextFeaturizer? Featurizer { get; }

    /// <summary>Loads <c>model.zip</c>, or the <c>model.zip</c> inside a model folder.</summary>
    public static SentimentPredictor Load(string modelPath)
    {
        var modelZip = Directory.Exists(modelPath)
            ? Path.Combine(modelPath, SentimentModelLoader.ModelFileName)
            : modelPath;
        if (!File.Exists(modelZip))
        {
            throw new FileNotFoundException(
                Directory.Exists(modelPath)
                    ? $"{modelPath} holds no {SentimentModelLoader.ModelFileName}; it is not a sentiment model folder."
                    : $"{modelPath} does not exist.",
                modelZip
            );
        }

        var (ml, model, featurizer) = SentimentModelLoader.Load(modelZip);
        return new SentimentPredictor(ml, model, featurizer);
    }

    /// <summary>An engine for one thread at a time; pool these for concurrent single predictions.</summary>
    public SentimentEngine CreateEngine() =>
        Featurizer is null
            ? new SentimentEngine(_ml.Model.CreatePredictionEngine<SentimentInput, SentimentPrediction>(Model))
            : new SentimentEngine(
                Featurizer,
                _ml.Model.CreatePredictionEngine<FeatureRow, SentimentPrediction>(Model, inputSchemaDefinition: _input)
            );

    public SentimentPrediction Predict(string review)
    {
        using var engine = CreateEngine();
        return engine.Predict(review);
    }

    /// <summary>Scores a batch on every core, one engine per thread.</summary>
    public SentimentPrediction[] PredictBatch(IReadOnlyList<string> reviews, int? degreeOfParallelism = null)
    {
        var results = new SentimentPrediction[reviews.Count];
        var workers = Math.Max(
            1,
            Math.Min(
                degreeOfParallelism ?? Environment.ProcessorCount,
                (reviews.Count + MinimumPartition - 1) / MinimumPartition
            )
        );
        Parallel.For(
            0,
            workers,
            new ParallelOptions { MaxDegreeOfParallelism = workers },
            worker =>
            {
                using var engine = CreateEngine();
                for (var i = worker; i < reviews.Count; i += workers)
                {
                    results[i] = engine.Predict(reviews[i]);
                }
            }
        );
        return results;
    }
}

/// <summary>One prediction engine with its featurizing buffers: not thread-safe, cheap to reuse.</summary>
public sealed class SentimentEngine : IDisposable
{
    private readonly TextFeaturizer? _featurizer;
    private readonly PredictionEngine<FeatureRow, SentimentPrediction>? _vectors;
    private readonly PredictionEngine<SentimentInput, SentimentPrediction>? _texts;
    private readonly TextFeaturizer.Scratch _scratch = new();
    private readonly FeatureRow _row = new();
    private readonly SentimentInput _input = new();
    private VBuffer<float> _features;

    internal SentimentEngine(TextFeaturizer featurizer, PredictionEngine<FeatureRow, SentimentPrediction> engine)
    {
        _featurizer = featurizer;
        _vectors = engine;
    }

    internal SentimentEngine(PredictionEngine<SentimentInput, SentimentPrediction> engine) => _texts = engine;

    public SentimentPrediction Predict(string review)
    {
        var output = new SentimentPrediction();
        Predict(review, ref output);
        return output;
    }

    /// <summary>
    /// Scores one review. A text with no words (empty, spaces, punctuation or HTML tags only) is refused: any answer would
    /// be the model's bias, not a judgement. The label is always the probability's side of 0.5, for every trainer.
    /// </summary>
    public void Predict(string review, ref SentimentPrediction output)
    {
        if (!TextFeaturizer.HasWords(review))
        {
            throw new ArgumentException(
                "the review has no words to judge (it is empty, or only spaces, punctuation or HTML tags)",
                nameof(review)
            );
        }

        if (_texts is not null)
        {
            _input.Review = review;
            _texts.Predict(_input, ref output);
        }
        else
        {
            _featurizer!.Featurize(review, _scratch, ref _features);
            _row.Features = _features;
            _vectors!.Predict(_row, ref output);
        }

        // A perceptron's raw decision and its Platt-calibrated probability can disagree near the boundary.
        output.Positive = output.Probability >= 0.5f;
    }

    public void Dispose()
    {
        _vectors?.Dispose();
        _texts?.Dispose();
    }
}
