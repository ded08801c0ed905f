using Microsoft.ML;

namespace Sentiment.Model;

/// <summary>Loads a saved sentiment model; registers the assembly holding its custom text normalizer first.</summary>
public static class SentimentModelLoader
{
    public const string ModelFileName = "model.zip";

    public static (MLContext Context, ITransformer Model) Load(string modelZip)
    {
        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterAssembly(typeof(ReviewNormalizer).Assembly);
        using var stream = File.OpenRead(modelZip);
        return (ml, ml.Model.Load(stream, out _));
    }
}
