using Microsoft.ML;

namespace Sentiment.Model;

/// <summary>
/// Scores reviews with a saved model. A batch is split across cores, each part scored through its own data view
/// (ML.NET transformers are safe to share; prediction engines are not, so single predictions get their own).
/// </summary>
public sealed class SentimentPredictor
{
    private const int MinimumPartition = 256;
    private readonly MLContext _ml;

    private SentimentPredictor(MLContext ml, ITransformer model)
    {
        _ml = ml;
        Model = model;
    }

    public ITransformer Model { get; }

    public static SentimentPredictor Load(string modelZip)
    {
        var (ml, model) = SentimentModelLoader.Load(modelZip);
        return new SentimentPredictor(ml, model);
    }

    /// <summary>A prediction engine for one thread at a time; pool these for concurrent single predictions.</summary>
    public PredictionEngine<SentimentInput, SentimentPrediction> CreateEngine() =>
        _ml.Model.CreatePredictionEngine<SentimentInput, SentimentPrediction>(Model);

    public SentimentPrediction Predict(string review)
    {
        using var engine = CreateEngine();
        return engine.Predict(new SentimentInput { Review = review });
    }

    /// <summary>Scores a batch on every core, one prediction engine per thread (faster here than a data view per partition).</summary>
    public SentimentPrediction[] PredictBatch(IReadOnlyList<string> reviews, int? degreeOfParallelism = null)
    {
        var results = new SentimentPrediction[reviews.Count];
        var workers = Math.Max(1, Math.Min(degreeOfParallelism ?? Environment.ProcessorCount, (reviews.Count + MinimumPartition - 1) / MinimumPartition));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var engine = CreateEngine();
            var input = new SentimentInput();
            for (var i = worker; i < reviews.Count; i += workers)
            {
                input.Review = reviews[i];
                var output = new SentimentPrediction();
                engine.Predict(input, ref output);
                results[i] = output;
            }
        });
        return results;
    }
}
