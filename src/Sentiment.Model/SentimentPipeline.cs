using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Sentiment.Model;

/// <summary>
/// The classifier, on TF-IDF word n-gram vectors: L-BFGS logistic regression by default, SDCA logistic regression, or
/// an averaged perceptron with Platt calibration. The vectors come from <see cref="TextFeaturizer"/> (the default), or
/// from ML.NET's own text featurizer (<see cref="MlNetFeaturizer"/>, about ten times slower, kept for comparison).
/// </summary>
public static class SentimentPipeline
{
    public const string FeaturesColumn = "Features";

    public static IEstimator<ITransformer> Build(MLContext ml, SentimentParameters p) =>
        p.Trainer switch
        {
            "sdca" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                new SdcaLogisticRegressionBinaryTrainer.Options
                {
                    L2Regularization = Math.Max(p.L2, 1e-6f),
                    MaximumNumberOfIterations = p.Iterations,
                    NumberOfThreads = p.Threads,
                }
            ),
            "averaged_perceptron" => AveragedPerceptron(ml, p, p.Iterations)
                .Append(ml.BinaryClassification.Calibrators.Platt()),
            _ => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    L2Regularization = p.L2,
                    L1Regularization = 0,
                    OptimizationTolerance = 1e-4f,
                    NumberOfThreads = p.Threads,
                }
            ),
        };

    public static AveragedPerceptronTrainer AveragedPerceptron(MLContext ml, SentimentParameters p, int epochs) =>
        ml.BinaryClassification.Trainers.AveragedPerceptron(
            new AveragedPerceptronTrainer.Options
            {
                NumberOfIterations = epochs,
                L2Regularization = p.L2,
                Shuffle = true,
            }
        );

    /// <summary>ML.NET's FeaturizeText after the tag clean-up: the same features by ML.NET's rules, saved inside the model.</summary>
    public static IEstimator<ITransformer> MlNetFeaturizer(MLContext ml, SentimentParameters p) =>
        ml
            .Transforms.CustomMapping<ReviewNormalizer.RawReview, ReviewNormalizer.CleanReview>(
                ReviewNormalizer.Map,
                ReviewNormalizer.ContractName
            )
            .Append(
                ml.Transforms.Text.FeaturizeText(
                    FeaturesColumn,
                    new TextFeaturizingEstimator.Options
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
                        CharFeatureExtractor = null,
                        Norm = TextFeaturizingEstimator.NormFunction.L2,
                    },
                    nameof(ReviewNormalizer.CleanReview.CleanText)
                )
            );
}
