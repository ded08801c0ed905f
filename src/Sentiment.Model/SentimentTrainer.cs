using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.Training;
using Pipeline.Training.Behaviour;
using Pipeline.Training.Reports;
using ConfusionMatrix = Pipeline.Training.Reports.ConfusionMatrix;

namespace Sentiment.Model;

/// <summary>Trains and evaluates the IMDB sentiment classifier behind the model-agnostic <see cref="IModelTrainer"/> contract.</summary>
public sealed class SentimentTrainer : IModelTrainer
{
    public const string MlflowFlavor = "mlnet";

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

    public string Flavor => MlflowFlavor;

    public TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default)
    {
        var p = SentimentParameters.From(request.Config);
        var clock = Stopwatch.StartNew();
        var rows = EvaluationRows.For(request, p);
        request.Log(
            $"Loaded {rows.Data.Rows.Count} reviews from {rows.Data.Path} ({rows.Data.Malformed.Count} malformed skipped) in {clock.Elapsed.TotalSeconds:0.00} s; "
                + $"evaluating on {rows.Test.Count} {rows.Describe}"
        );
        foreach (var row in rows.Data.Malformed.Take(10))
        {
            request.Log("  malformed " + row);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(p.Seed);
        var history = new List<MetricPoint>();
        clock.Restart();
        var (featurizer, mlnetFeaturizer, trainView, testView, inputSchema) = Featurize(ml, p, rows);
        request.Log(
            $"Featurized {rows.Train.Count + rows.Test.Count} reviews ({p.Featurizer} featurizer, word 1–{p.WordNgram}-grams, "
                + $"{featurizer?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "ML.NET's"} features) in {clock.Elapsed.TotalSeconds:0.00} s"
        );
        clock.Restart();
        var classifier =
            p.Trainer == "averaged_perceptron"
                ? TrainByEpoch(ml, p, trainView, testView, history)
                : SentimentPipeline.Build(ml, p).Fit(trainView);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        request.Log($"Fitted {p.Trainer} on {rows.Train.Count} reviews in {fitSeconds:0.00} s");

        var summary = new DatasetSummary(
            rows.Data.Path,
            rows.Data.Md5,
            rows.Data.Rows.Count + rows.Data.Malformed.Count,
            rows.Train.Count,
            rows.Test.Count,
            rows.Data.Malformed
        );
        var parameters = p.ToDictionary();
        SortedDictionary<string, double> metrics = [];
        IReadOnlyList<CapabilityResult> behaviour = [];
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
                // The saved model is scored, by the same code that scores the champion: what ships is what was measured.
                var (scored, confusion, probabilities) = Score(SentimentPredictor.Load(modelZip), rows, request.Config);
                metrics = scored.Metrics;
                behaviour = scored.Behaviour;
                metrics["fit_seconds"] = fitSeconds;
                BinaryClassificationReport.Write(
                    Path.Combine(staging, TrainingOutput.ReportFolder),
                    "Sentiment model evaluation",
                    metrics,
                    BinaryClassificationReport.RocCurve([.. rows.Test.Select((r, i) => (r.Label, probabilities[i]))]),
                    confusion,
                    parameters,
                    summary,
                    behaviour
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
                    MlflowFlavor,
                    FlavorSettings
                )
                {
                    Behaviour = behaviour,
                }
        );
    }

    public IReadOnlyDictionary<string, double> Evaluate(
        string modelDirectory,
        TrainingRequest request,
        CancellationToken cancellationToken = default
    )
    {
        var p = SentimentParameters.From(request.Config);
        var rows = EvaluationRows.For(request, p);
        return Score(SentimentPredictor.Load(modelDirectory), rows, request.Config).Scored.Metrics;
    }

    private sealed record Scored(SortedDictionary<string, double> Metrics, IReadOnlyList<CapabilityResult> Behaviour);

    /// <summary>A saved model's metrics on the evaluation rows, and its pass rate on every behaviour capability.</summary>
    private static (Scored Scored, ConfusionMatrix Confusion, double[] Probabilities) Score(
        SentimentPredictor predictor,
        EvaluationRows rows,
        TrainingConfig config
    )
    {
        var probabilities = predictor
            .PredictBatch([.. rows.Test.Select(r => r.Review)])
            .Select(s => (double)s.Probability)
            .ToArray();
        var (metrics, confusion) = BinaryMetrics.Compute([.. rows.Test.Select(r => r.Label)], probabilities);
        IReadOnlyList<CapabilityResult> behaviour = [];
        if (config.BehaviourSuite is { } suite)
        {
            behaviour = BehaviourSuite
                .Load(suite)
                .Run(texts => [.. predictor.PredictBatch([.. texts]).Select(s => (double)s.Probability)]);
            foreach (var capability in behaviour)
            {
                metrics[capability.Metric] = capability.Rate;
            }
        }

        return (new Scored(metrics, behaviour), confusion, probabilities);
    }

    private static (
        TextFeaturizer? Featurizer,
        ITransformer? MlNetFeaturizer,
        IDataView Train,
        IDataView Test,
        DataViewSchema InputSchema
    ) Featurize(MLContext ml, SentimentParameters p, EvaluationRows rows)
    {
        if (p.Featurizer == "mlnet")
        {
            var rawTrain = ml.Data.LoadFromEnumerable(rows.Train);
            var mlnet = SentimentPipeline.MlNetFeaturizer(ml, p).Fit(rawTrain);
            // Cached: without it every pass of the trainer would featurize the text again.
            return (
                null,
                mlnet,
                ml.Data.Cache(mlnet.Transform(rawTrain)),
                mlnet.Transform(ml.Data.LoadFromEnumerable(rows.Test)),
                rawTrain.Schema
            );
        }

        var featurizer = TextFeaturizer.Fit(
            [.. rows.Train.Select(r => r.Review)],
            [.. rows.Train.Select(r => r.Label)],
            new FeaturizerOptions(p.WordNgram, p.Negation, p.Weighting, p.MinDf, p.MaxNgrams, p.Contrast, p.NbAlpha)
        );
        var schema = FeatureRow.Schema(featurizer.Length);
        // Cached: the trainers pass over the data many times, and reading rows back out of objects is slow.
        var train = ml.Data.Cache(ml.Data.LoadFromEnumerable(Vectors(featurizer, rows.Train), schema));
        return (
            featurizer,
            null,
            train,
            ml.Data.LoadFromEnumerable(Vectors(featurizer, rows.Test), schema),
            train.Schema
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
            var measured = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            history.Add(new MetricPoint("epoch_accuracy", scores.Accuracy, epoch, measured));
            history.Add(new MetricPoint("epoch_auc", scores.AreaUnderRocCurve, epoch, measured));
        }

        var calibrator = ml.BinaryClassification.Calibrators.Platt().Fit(epochModel!.Transform(train));
        return new TransformerChain<ITransformer>(epochModel, calibrator);
    }

    /// <summary>Every review as its feature vector, on all cores (the featurizer is thread-safe with a scratch per thread).</summary>
    private static FeatureRow[] Vectors(TextFeaturizer featurizer, List<SentimentInput> rows)
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
}
