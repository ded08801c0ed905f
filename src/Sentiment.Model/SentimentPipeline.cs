using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Sentiment.Model;

/// <summary>The ML.NET pipeline, top to bottom: clean the text, featurize it as TF-IDF word n-grams, classify.</summary>
public static class SentimentPipeline
{
    public const string FeaturesColumn = "Features";

    public static IEstimator<ITransformer> Build(MLContext ml, SentimentParameters p)
    {
        var featurize = Featurizer(ml, p);
        return p.Trainer switch
        {
            "sdca" => featurize.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = Math.Max(p.L2, 1e-6f),
                MaximumNumberOfIterations = p.Iterations,
                NumberOfThreads = p.Threads,
            })),
            "averaged_perceptron" => featurize
                .Append(AveragedPerceptron(ml, p, p.Iterations))
                .Append(ml.BinaryClassification.Calibrators.Platt()),
            _ => featurize.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = p.L2,
                L1Regularization = 0,
                OptimizationTolerance = 1e-4f,
                NumberOfThreads = p.Threads,
            })),
        };
    }

    public static AveragedPerceptronTrainer AveragedPerceptron(MLContext ml, SentimentParameters p, int epochs) =>
        ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options
        {
            NumberOfIterations = epochs,
            L2Regularization = p.L2,
            Shuffle = true,
        });

    /// <summary>Clean the text, then TF-IDF word n-grams: everything before the classifier.</summary>
    public static EstimatorChain<ITransformer> Featurizer(MLContext ml, SentimentParameters p)
    {
        var featurize = ml.Transforms.CustomMapping<ReviewNormalizer.RawReview, ReviewNormalizer.CleanReview>(ReviewNormalizer.Map, ReviewNormalizer.ContractName)
            .Append(ml.Transforms.Text.FeaturizeText(FeaturesColumn, new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepDiacritics = true,
                KeepPunctuations = false,
                KeepNumbers = true,
                WordFeatureExtractor = new WordBagEstimator.Options
                {
                    NgramLength = p.WordNgram,
                    UseAllLengths = true,
                    MaximumNgramsCount = [p.MaxNgrams],
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                CharFeatureExtractor = p.CharNgram == 0 ? null : new WordBagEstimator.Options
                {
                    NgramLength = p.CharNgram,
                    UseAllLengths = false,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, nameof(ReviewNormalizer.CleanReview.CleanText)))
            // Trainers pass over the data many times; without this every pass would featurize the text again.
            .AppendCacheCheckpoint(ml);

        return featurize;
    }
}
