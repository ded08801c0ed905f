namespace Pipeline.Tracking;

public enum RunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
    Killed = 5,
}

public sealed record Experiment(
    string Id,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    IReadOnlyDictionary<string, string> Tags
);

public sealed record Metric(string Key, double Value, long Timestamp, long Step);

public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage,
    string UserId
);

/// <summary>A run as a server returns it: <see cref="Metrics"/> holds only the latest value of each key.</summary>
public sealed record Run(
    RunInfo Info,
    IReadOnlyDictionary<string, Metric> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags
);

/// <summary>
/// A dataset a run used, as MLflow's <c>log-inputs</c> records it: name, digest (at most 36 characters), where it
/// came from (<paramref name="SourceType"/> and <paramref name="Source"/>, a JSON text such as <c>{"uri": …}</c>),
/// and tags (<c>mlflow.data.context</c>: training, evaluation).
/// </summary>
public sealed record DatasetInput(
    string Name,
    string Digest,
    string SourceType,
    string Source,
    string? Schema,
    string? Profile,
    IReadOnlyDictionary<string, string> Tags
)
{
    public const string ContextTag = "mlflow.data.context";
}

public sealed record RunsPage(IReadOnlyList<Run> Runs, string? NextPageToken);

public sealed record ArtifactFile(string Path, bool IsDirectory, long? Size);

public sealed record ModelVersion(
    string Name,
    string Version,
    string Source,
    string? RunId,
    string Status,
    long CreationTimestamp,
    IReadOnlyList<string> Aliases,
    IReadOnlyDictionary<string, string> Tags
);

public sealed record RegisteredModel(
    string Name,
    string? Description,
    IReadOnlyDictionary<string, string> Aliases,
    IReadOnlyDictionary<string, string> Tags
);

/// <summary>What one training run records in a single call: MLflow's log-batch.</summary>
public sealed record RunBatch(
    IReadOnlyList<Metric> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags
)
{
    public static RunBatch Empty { get; } = new([], new Dictionary<string, string>(), new Dictionary<string, string>());
}

internal static class RunStatuses
{
    public static string ToWire(this RunStatus status) => status.ToString().ToUpperInvariant();

    public static RunStatus FromWire(string value) =>
        Enum.TryParse<RunStatus>(value, ignoreCase: true, out var status)
            ? status
            : throw new TrackingException(null, 0, $"unknown run status '{value}'");
}
