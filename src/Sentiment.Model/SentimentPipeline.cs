using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Sentiment.Model;

/// <summary>
/// The classifier, on the TF-IDF word n-gram vectors <see cref="TextFeaturizer"/> makes: L-BFGS logistic regression
/// by default, SDCA logistic regression, or an averaged perceptron with Platt calibration.
/// </summary>
public static class SentimentPipeline
{
    public const string FeaturesColumn = "Features";

    public static IEstimator<ITransformer> Build(MLContext ml, SentimentParameters p) => p.Trainer switch
    {
        "sdca" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = Math.Max(p.L2, 1e-6f),
            MaximumNumberOfIterations = p.Iterations,
            NumberOfThreads = p.Threads,
        }),
        "averaged_perceptron" => AveragedPerceptron(ml, p, p.Iterations).Append(ml.BinaryClassification.Calibrators.Platt()),
        _ => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = p.L2,
            L1Regularization = 0,
            OptimizationTolerance = 1e-4f,
            NumberOfThreads = p.Threads,
        }),
    };

    public static AveragedPerceptronTrainer AveragedPerceptron(MLContext ml, SentimentParameters p, int epochs) =>
        ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options
        {
            NumberOfIterations = epochs,
            L2Regularization = p.L2,
            Shuffle = true,
        });
}
