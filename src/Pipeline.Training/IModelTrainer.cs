namespace Pipeline.Training;

/// <summary>
/// What a model plugs in behind: the build names a trainer in its configuration and never the model itself,
/// so a second workload (playlist recommendations) rides the same stages.
/// </summary>
public interface IModelTrainer
{
    /// <summary>The name configuration uses to pick this trainer, e.g. <c>sentiment</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The MLflow flavor its models carry in their <c>MLmodel</c> file (e.g. <c>mlnet</c>). ExtractModel refuses a
    /// run or version whose model lacks it: a Python model in the same registry is not something this pipeline serves.
    /// </summary>
    string Flavor { get; }

    /// <summary>Loads, trains, evaluates and writes the model and its reports under <see cref="TrainingRequest.OutputDirectory"/>.</summary>
    TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Scores an existing model of this trainer (the champion) on exactly the evaluation rows (and behaviour probes)
    /// <see cref="Train"/> uses for <paramref name="request"/>, so challenger and champion are compared on the same data
    /// by the same code. The model folder is what Train wrote under <c>model/</c>.
    /// </summary>
    IReadOnlyDictionary<string, double> Evaluate(
        string modelDirectory,
        TrainingRequest request,
        CancellationToken cancellationToken = default
    );
}

/// <param name="DatasetPath">The training data.</param>
/// <param name="OutputDirectory">Where the model (<c>model/</c>) and reports (<c>reports/</c>) go; replaced whole on success.</param>
/// <param name="Smoke">Train on a small sample in seconds, for pull-request CI.</param>
public sealed record TrainingRequest(
    string DatasetPath,
    string OutputDirectory,
    TrainingConfig Config,
    bool Smoke,
    Action<string> Log
)
{
    /// <summary>A fixed evaluation set (the config's <c>eval_dataset</c>, resolved) used instead of a split of the data.</summary>
    public string? EvaluationDatasetPath { get; init; }
}

/// <summary>What a training run produced: the files, the numbers, and what they were computed from.</summary>
public sealed record TrainingResult(
    string ModelDirectory,
    string ReportDirectory,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<MetricPoint> History,
    IReadOnlyDictionary<string, string> Params,
    ModelSignature Signature,
    DatasetSummary Dataset,
    string Flavor,
    IReadOnlyDictionary<string, object?> FlavorSettings
)
{
    /// <summary>The behaviour suite's results per capability (also among <see cref="Metrics"/> as <c>behaviour.*</c>).</summary>
    public IReadOnlyList<Behaviour.CapabilityResult> Behaviour { get; init; } = [];
}

/// <summary>
/// One value of an iterating metric, e.g. the loss after epoch <paramref name="Step"/>, and when it was measured
/// (Unix milliseconds; 0 when unknown, then the time it is recorded), so MLflow's charts over time are true.
/// </summary>
public sealed record MetricPoint(string Key, double Value, int Step, long Timestamp = 0);

public sealed record ColumnSpec(string Name, string Type);

/// <summary>The model's input and output columns, recorded next to it and in its MLmodel file.</summary>
public sealed record ModelSignature(IReadOnlyList<ColumnSpec> Inputs, IReadOnlyList<ColumnSpec> Outputs);

/// <param name="Malformed">Rows skipped as malformed, each as "line N: reason".</param>
public sealed record DatasetSummary(
    string Path,
    string Md5,
    long Rows,
    long TrainRows,
    long TestRows,
    IReadOnlyList<string> Malformed
);

/// <summary>Bad training input: the message names the file and line.</summary>
public sealed class TrainingDataException(string message) : Exception(message);
