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

    public SentimentPrediction[] PredictBatch(IReadOnlyList<string> reviews, int? degreeOfParallelism = null)
    {
        var results = new SentimentPrediction[reviews.Count];
        var workers = Math.Max(1, Math.Min(degreeOfParallelism ?? Environment.ProcessorCount, reviews.Count / MinimumPartition));
        var size = (reviews.Count + workers - 1) / Math.Max(workers, 1);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, part =>
        {
            var start = part * size;
            var count = Math.Min(size, reviews.Count - start);
            if (count <= 0)
            {
                return;
            }

            var input = _ml.Data.LoadFromEnumerable(Enumerable.Range(start, count).Select(i => new SentimentInput { Review = reviews[i] }));
            var index = start;
            foreach (var prediction in _ml.Data.CreateEnumerable<SentimentPrediction>(Model.Transform(input), reuseRowObject: false))
            {
                results[index++] = prediction;
            }
        });
        return results;
    }
}
