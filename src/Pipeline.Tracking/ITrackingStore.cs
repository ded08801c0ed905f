namespace Pipeline.Tracking;

/// <summary>
/// MLflow's tracking and registry operations. Two implementations: <see cref="Rest.MlflowRestStore"/> for a server and
/// <see cref="FileStore.FileTrackingStore"/> for an <c>mlruns/</c> folder that <c>mlflow ui</c> reads.
/// </summary>
public interface ITrackingStore
{
    /// <summary>For messages: the server URL or the mlruns folder.</summary>
    string Location { get; }

    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default);

    Task<string> CreateExperimentAsync(
        string name,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    );

    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    Task<RunInfo> CreateRunAsync(
        string experimentId,
        string runName,
        long startTime,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken = default
    );

    Task LogBatchAsync(string runId, RunBatch batch, CancellationToken cancellationToken = default);

    /// <summary>MLflow's <c>runs/log-inputs</c>: the datasets a run used, shown in the run page and searchable.</summary>
    Task LogInputsAsync(
        string runId,
        IReadOnlyList<DatasetInput> inputs,
        CancellationToken cancellationToken = default
    );

    Task UpdateRunAsync(string runId, RunStatus status, long? endTime, CancellationToken cancellationToken = default);

    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>One page of runs; <paramref name="maxResults"/> 0 means the server's default (1000).</summary>
    Task<RunsPage> SearchRunsAsync(
        IReadOnlyList<string> experimentIds,
        string? filter,
        IReadOnlyList<string>? orderBy,
        int maxResults,
        string? pageToken,
        CancellationToken cancellationToken = default
    );

    Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(
        string runId,
        string key,
        CancellationToken cancellationToken = default
    );

    /// <summary>Stores one file under the run's artifact root at <paramref name="artifactPath"/> (POSIX, relative).</summary>
    Task UploadArtifactAsync(
        RunInfo run,
        string artifactPath,
        string localFile,
        CancellationToken cancellationToken = default
    );

    Task DownloadArtifactAsync(
        RunInfo run,
        string artifactPath,
        string localFile,
        CancellationToken cancellationToken = default
    );

    /// <summary>The files and folders directly inside <paramref name="artifactPath"/>, as run-relative paths.</summary>
    Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(
        RunInfo run,
        string? artifactPath,
        CancellationToken cancellationToken = default
    );

    Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    Task CreateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken = default);

    Task SetRegisteredModelTagAsync(
        string name,
        string key,
        string value,
        CancellationToken cancellationToken = default
    );

    Task<ModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string runId,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    );

    Task<ModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(
        string name,
        CancellationToken cancellationToken = default
    );

    Task SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken = default);

    Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    Task<ModelVersion> GetModelVersionByAliasAsync(
        string name,
        string alias,
        CancellationToken cancellationToken = default
    );
}
