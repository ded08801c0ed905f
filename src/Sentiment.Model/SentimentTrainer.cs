using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.Training;
using Pipeline.Training.Reports;
using ConfusionMatrix = Pipeline.Training.Reports.ConfusionMatrix;

namespace Sentiment.Model;

/// <summary>Trains and evaluates the IMDB sentiment classifier behind the model-agnostic <see cref="IModelTrainer"/> contract.</summary>
public sealed class SentimentTrainer : IModelTrainer
{
    public const string Flavor = "mlnet";

    public static readonly ModelSignature Signature = new(
        [new ColumnSpec(nameof(SentimentInput.Review), "string")],
        [
            new ColumnSpec("PredictedLabel", "boolean"),
            new ColumnSpec("Probability", "float"),
            new ColumnSpec("Score", "float"),
        ]
    );

    /// <summary>The MLmodel flavor entry: how to load this model (ML.NET 5, with the featurizer vocabulary inside the zip, read by the loader).</summary>
    public static readonly IReadOnlyDictionary<string, object?> FlavorSettings = new Dictionary<string, object?>
    {
        ["code"] = null,
        ["loader"] = typeof(SentimentModelLoader).FullName,
        ["mlnet_version"] = typeof(Microsoft.ML.MLContext)
            .Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()
            ?.InformationalVersion.Split('+')[0],
        ["model_file"] = SentimentModelLoader.ModelFileName,
        ["signature_file"] = TrainingOutput.SignatureFile,
    };

    public string Name => "sentiment";

    public TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default)
    {
        var p = SentimentParameters.From(request.Config);
        var clock = Stopwatch.StartNew();
        var data = ImdbDataset.Load(request.DatasetPath, p.MaxMalformedShare, request.Smoke ? p.SmokeRows : null);
        request.Log(
            $"Loaded {data.Rows.Count} reviews from {data.Path} ({data.Malformed.Count} malformed skipped) in {clock.Elapsed.TotalSeconds:0.00} s"
        );
        foreach (var row in data.Malformed.Take(10))
        {
            request.Log("  malformed " + row);
        }

        var (train, test) = Split(data, p);
        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(p.Seed);
        var history = new List<MetricPoint>();
        clock.Restart();
        TextFeaturizer? featurizer = null;
        ITransformer? mlnetFeaturizer = null;
        IDataView trainView,
            testView;
        DataViewSchema inputSchema;
        if (p.Featurizer == "mlnet")
        {
            var rawTrain = ml.Data.LoadFromEnumerable(train);
            mlnetFeaturizer = SentimentPipeline.MlNetFeaturizer(ml, p).Fit(rawTrain);
            // Cached: without it every pass of the trainer would featurize the text again.
            trainView = ml.Data.Cache(mlnetFeaturizer.Transform(rawTrain));
            testView = mlnetFeaturizer.Transform(ml.Data.LoadFromEnumerable(test));
            inputSchema = rawTrain.Schema;
        }
        else
        {
            featurizer = TextFeaturizer.Fit([.. train.Select(r => r.Review)], p.WordNgram, p.MaxNgrams);
            var schema = FeatureRow.Schema(featurizer.Length);
            // Cached: the trainers pass over the data many times, and reading rows back out of objects is slow.
            trainView = ml.Data.Cache(ml.Data.LoadFromEnumerable(Featurize(featurizer, train), schema));
            testView = ml.Data.LoadFromEnumerable(Featurize(featurizer, test), schema);
            inputSchema = trainView.Schema;
        }

        request.Log(
            $"Featurized {train.Count + test.Count} reviews ({p.Featurizer} featurizer, word 1–{p.WordNgram}-grams) in {clock.Elapsed.TotalSeconds:0.00} s"
        );
        var classifier =
            p.Trainer == "averaged_perceptron"
                ? TrainByEpoch(ml, p, trainView, testView, history)
                : SentimentPipeline.Build(ml, p).Fit(trainView);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        request.Log($"Fitted {p.Trainer} on {train.Count} reviews in {fitSeconds:0.00} s");

        var scored = classifier.Transform(testView);
        var evaluation = ml.BinaryClassification.Evaluate(scored);
        var labels = scored.GetColumn<bool>(nameof(SentimentInput.Label)).ToList();
        var probabilities = scored.GetColumn<float>("Probability").ToList();
        var confusion = Confusion(evaluation.ConfusionMatrix);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["accuracy"] = evaluation.Accuracy,
            ["auc"] = evaluation.AreaUnderRocCurve,
            ["auprc"] = evaluation.AreaUnderPrecisionRecallCurve,
            ["f1"] = evaluation.F1Score,
            ["log_loss"] = evaluation.LogLoss,
            ["precision"] = evaluation.PositivePrecision,
            ["recall"] = evaluation.PositiveRecall,
            ["negative_precision"] = evaluation.NegativePrecision,
            ["negative_recall"] = evaluation.NegativeRecall,
            ["true_positives"] = confusion.TruePositive,
            ["false_positives"] = confusion.FalsePositive,
            ["true_negatives"] = confusion.TrueNegative,
            ["false_negatives"] = confusion.FalseNegative,
            ["fit_seconds"] = fitSeconds,
        };

        var summary = new DatasetSummary(
            data.Path,
            data.Md5,
            data.Rows.Count + data.Malformed.Count,
            train.Count,
            test.Count,
            data.Malformed
        );
        var parameters = p.ToDictionary();
        return TrainingOutput.Publish(
            request.OutputDirectory,
            staging =>
            {
                var modelDirectory = Path.Combine(staging, TrainingOutput.ModelFolder);
                Directory.CreateDirectory(modelDirectory);
                var modelZip = Path.Combine(modelDirectory, SentimentModelLoader.ModelFileName);
                if (featurizer is null)
                {
                    ml.Model.Save(
                        new TransformerChain<ITransformer>(mlnetFeaturizer!, classifier),
                        inputSchema,
                        modelZip
                    );
                }
                else
                {
                    SentimentModelLoader.Save(ml, classifier, inputSchema, featurizer, modelZip);
                }
                TrainingOutput.WriteSignature(modelDirectory, Signature);
                var roc = BinaryClassificationReport.RocCurve(
                    labels.Zip(probabilities, (l, s) => (l, (double)s)).ToList()
                );
                BinaryClassificationReport.Write(
                    Path.Combine(staging, TrainingOutput.ReportFolder),
                    "Sentiment model evaluation",
                    metrics,
                    roc,
                    confusion,
                    parameters,
                    summary
                );
            },
            (modelDirectory, reportDirectory) =>
                new TrainingResult(
                    modelDirectory,
                    reportDirectory,
                    metrics,
                    history,
                    parameters,
                    Signature,
                    summary,
                    Flavor,
                    FlavorSettings
                )
        );
    }

    /// <summary>
    /// The averaged perceptron iterates in epochs: it is trained one epoch at a time (each warm-started from the last),
    /// and the held-out accuracy and AUC after every epoch become the run's step metrics. Platt calibration comes last.
    /// </summary>
    private static TransformerChain<ITransformer> TrainByEpoch(
        MLContext ml,
        SentimentParameters p,
        IDataView train,
        IDataView test,
        List<MetricPoint> history
    )
    {
        Microsoft.ML.Trainers.LinearBinaryModelParameters? weights = null;
        BinaryPredictionTransformer<Microsoft.ML.Trainers.LinearBinaryModelParameters>? epochModel = null;
        for (var epoch = 1; epoch <= p.Iterations; epoch++)
        {
            var trainer = SentimentPipeline.AveragedPerceptron(ml, p, epochs: 1);
            epochModel = weights is null ? trainer.Fit(train) : trainer.Fit(train, weights);
            weights = epochModel.Model;
            var scores = ml.BinaryClassification.EvaluateNonCalibrated(epochModel.Transform(test));
            history.Add(new MetricPoint("epoch_accuracy", scores.Accuracy, epoch));
            history.Add(new MetricPoint("epoch_auc", scores.AreaUnderRocCurve, epoch));
        }

        var calibrator = ml.BinaryClassification.Calibrators.Platt().Fit(epochModel!.Transform(train));
        return new TransformerChain<ITransformer>(epochModel, calibrator);
    }

    /// <summary>Every review as its feature vector, on all cores (the featurizer is thread-safe with a scratch per thread).</summary>
    private static FeatureRow[] Featurize(TextFeaturizer featurizer, List<SentimentInput> rows)
    {
        var result = new FeatureRow[rows.Count];
        Parallel.For(
            0,
            rows.Count,
            () => new TextFeaturizer.Scratch(),
            (i, _, scratch) =>
            {
                var features = default(VBuffer<float>);
                featurizer.Featurize(rows[i].Review, scratch, ref features);
                result[i] = new FeatureRow { Label = rows[i].Label, Features = features };
                return scratch;
            },
            _ => { }
        );
        return result;
    }

    /// <summary>A seeded shuffle, then the last share held out; the same seed and data always give the same split.</summary>
    private static (List<SentimentInput> Train, List<SentimentInput> Test) Split(
        LoadedDataset data,
        SentimentParameters p
    )
    {
        var rows = data.Rows.ToArray();
        new Random(p.Seed).Shuffle(rows);
        var testCount = (int)Math.Round(rows.Length * p.TestFraction);
        var train = rows[..^testCount].ToList();
        var test = rows[^testCount..].ToList();
        if (train.Select(r => r.Label).Distinct().Count() < 2 || test.Select(r => r.Label).Distinct().Count() < 2)
        {
            throw new TrainingDataException(
                $"{data.Path}: with {rows.Length} rows and test_fraction {p.TestFraction}, the training or test split holds only one class; add rows or change the split."
            );
        }

        return (train, test);
    }

    private static ConfusionMatrix Confusion(Microsoft.ML.Data.ConfusionMatrix matrix) =>
        // ML.NET orders classes positive first: row 0 is actual positive, column 0 predicted positive.
        new((long)matrix.Counts[0][0], (long)matrix.Counts[1][0], (long)matrix.Counts[1][1], (long)matrix.Counts[0][1]);
}
