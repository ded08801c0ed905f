using System.IO.Compression;
using Microsoft.ML;

namespace Sentiment.Model;

/// <summary>
/// The saved model: one ML.NET zip holding the classifier and, as one more entry, the <see cref="TextFeaturizer"/>
/// vocabulary it was trained with, so the two can never be separated or mismatched. A model trained with ML.NET's
/// featurizer (<c>featurizer=mlnet</c>) has no such entry: it takes the text itself, through the registered normalizer.
/// </summary>
public static class SentimentModelLoader
{
    public const string ModelFileName = "model.zip";
    public const string FeaturizerEntry = "Sentiment/text-featurizer.tsv";

    public static void Save(
        MLContext ml,
        ITransformer model,
        DataViewSchema inputSchema,
        TextFeaturizer featurizer,
        string modelZip
    )
    {
        ml.Model.Save(model, inputSchema, modelZip);
        using var zip = ZipFile.Open(modelZip, ZipArchiveMode.Update);
        using var entry = zip.CreateEntry(FeaturizerEntry, CompressionLevel.Optimal).Open();
        featurizer.Save(entry);
    }

    public static (MLContext Context, ITransformer Model, TextFeaturizer? Featurizer) Load(string modelZip)
    {
        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterAssembly(typeof(ReviewNormalizer).Assembly);
        ITransformer model;
        using (var stream = File.OpenRead(modelZip))
        {
            model = ml.Model.Load(stream, out _);
        }

        using var zip = ZipFile.OpenRead(modelZip);
        if (zip.GetEntry(FeaturizerEntry) is not { } entry)
        {
            return (ml, model, null);
        }

        using var vocabulary = entry.Open();
        return (ml, model, TextFeaturizer.Load(vocabulary));
    }
}
