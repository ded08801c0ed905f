using Pipeline.Tracking.FileStore;

namespace Pipeline.Tracking;

/// <summary>
/// One training run from start to end. Everything logged is also kept here, so that when the tracking server
/// becomes unreachable mid-run the run moves to the local FileStore whole (nothing is lost, training goes on) and is
/// tagged for a later <c>SyncRuns</c>. Ending is idempotent, and a run is never left RUNNING by a failure.
/// </summary>
public sealed class TrackedRun
{
    public const string SyncTag = "pipeline.sync";
    public const string SyncServerTag = "pipeline.sync.server";

    /// <summary>The server run this local run belongs to: the one created before the fallback, then the one synced into.</summary>
    public const string SyncServerRunTag = "pipeline.sync.server_run_id";

    private readonly FileTrackingStore? _fallback;
    private readonly Action<string> _log;
    private readonly string _experimentName;
    private readonly Dictionary<string, string> _params = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly List<Metric> _metrics = [];
    private readonly List<(string Local, string ArtifactPath)> _artifacts = [];
    private readonly List<DatasetInput> _inputs = [];
    private readonly long _startTime;
    private bool _ended;

    private TrackedRun(
        ITrackingStore store,
        RunInfo info,
        FileTrackingStore? fallback,
        string experimentName,
        IReadOnlyDictionary<string, string> tags,
        Action<string> log,
        long startTime
    )
    {
        _startTime = startTime;
        Store = store;
        Info = info;
        _fallback = fallback;
        _experimentName = experimentName;
        _log = log;
        foreach (var (key, value) in tags)
        {
            _tags[key] = value;
        }
    }

    /// <summary>Where the run lives now: the server, or the local store after a fallback.</summary>
    public ITrackingStore Store { get; private set; }

    public RunInfo Info { get; private set; }

    public bool FellBack { get; private set; }

    public static async Task<TrackedRun> StartAsync(
        ITrackingStore store,
        FileTrackingStore? fallback,
        string experiment,
        string runName,
        IReadOnlyDictionary<string, string> tags,
        Action<string> log,
        CancellationToken cancellationToken = default
    )
    {
        var startTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            var info = await CreateAsync(store, experiment, runName, startTime, tags, cancellationToken);
            return new TrackedRun(store, info, fallback, experiment, tags, log, startTime);
        }
        catch (TrackingException ex) when (ex.IsUnreachable && fallback is not null)
        {
            var run = new TrackedRun(store, null!, fallback, experiment, tags, log, startTime);
            await run.FallBackAsync(ex, runName, cancellationToken);
            return run;
        }
    }

    public Task LogParamsAsync(
        IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken = default
    )
    {
        foreach (var (key, value) in parameters)
        {
            _params[key] = value;
        }

        return Guard(
            s =>
                s.LogBatchAsync(
                    Info.RunId,
                    new RunBatch([], parameters, new Dictionary<string, string>()),
                    cancellationToken
                ),
            cancellationToken
        );
    }

    public Task LogMetricsAsync(IReadOnlyList<Metric> metrics, CancellationToken cancellationToken = default)
    {
        _metrics.AddRange(metrics);
        return Guard(
            s =>
                s.LogBatchAsync(
                    Info.RunId,
                    new RunBatch(metrics, new Dictionary<string, string>(), new Dictionary<string, string>()),
                    cancellationToken
                ),
            cancellationToken
        );
    }

    public Task SetTagsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        foreach (var (key, value) in tags)
        {
            _tags[key] = value;
        }

        return Guard(
            s =>
                s.LogBatchAsync(
                    Info.RunId,
                    new RunBatch([], new Dictionary<string, string>(), tags),
                    cancellationToken
                ),
            cancellationToken
        );
    }

    /// <summary>Records the datasets the run used (MLflow's log-inputs).</summary>
    public Task LogInputsAsync(IReadOnlyList<DatasetInput> inputs, CancellationToken cancellationToken = default)
    {
        _inputs.AddRange(inputs);
        return Guard(s => s.LogInputsAsync(Info.RunId, inputs, cancellationToken), cancellationToken);
    }

    /// <summary>Uploads every file below <paramref name="localDirectory"/> under <paramref name="artifactPath"/>.</summary>
    public async Task LogArtifactsAsync(
        string localDirectory,
        string artifactPath,
        CancellationToken cancellationToken = default
    )
    {
        foreach (
            var file in Directory
                .EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
        )
        {
            var relative =
                artifactPath.TrimEnd('/') + "/" + Path.GetRelativePath(localDirectory, file).Replace('\\', '/');
            _artifacts.Add((file, relative));
            await Guard(s => s.UploadArtifactAsync(Info, relative, file, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Ends the run (FINISHED or FAILED); a second call does nothing.</summary>
    public async Task EndAsync(RunStatus status, CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (
            await Guard(
                s =>
                    s.UpdateRunAsync(
                        Info.RunId,
                        status,
                        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                        cancellationToken
                    ),
                cancellationToken
            )
        )
        {
            // The replay after a fallback carries what was logged, not the run's end: end the local run too.
            await Store.UpdateRunAsync(
                Info.RunId,
                status,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                cancellationToken
            );
        }
    }

    private static async Task<RunInfo> CreateAsync(
        ITrackingStore store,
        string experiment,
        string runName,
        long startTime,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken
    )
    {
        var found = await store.GetExperimentByNameAsync(experiment, cancellationToken);
        string id;
        try
        {
            id = found?.Id ?? await store.CreateExperimentAsync(experiment, null, cancellationToken);
        }
        catch (TrackingException ex) when (ex.IsAlreadyExists)
        {
            // Another run created it between our lookup and our create.
            id = (await store.GetExperimentByNameAsync(experiment, cancellationToken))!.Id;
        }

        return await store.CreateRunAsync(id, runName, startTime, tags, cancellationToken);
    }

    /// <returns>True when this call moved the run to the local store.</returns>
    private async Task<bool> Guard(Func<ITrackingStore, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(Store);
            return false;
        }
        catch (TrackingException ex) when (ex.IsUnreachable && !FellBack && _fallback is not null)
        {
            await FallBackAsync(ex, Info.RunName, cancellationToken);
            return true;
        }
    }

    private async Task FallBackAsync(TrackingException cause, string runName, CancellationToken cancellationToken)
    {
        var server = Store.Location;
        Store = _fallback!;
        FellBack = true;
        _tags[SyncTag] = "pending";
        _tags[SyncServerTag] = server;
        if (Info is { } serverRun)
        {
            // SyncRuns finishes this run rather than making a second one for the same training.
            _tags[SyncServerRunTag] = serverRun.RunId;
        }

        // The local run keeps the training's real start, not the moment the server went away.
        Info = await CreateAsync(Store, _experimentName, runName, _startTime, _tags, cancellationToken);
        await Store.LogBatchAsync(Info.RunId, new RunBatch(_metrics, _params, _tags), cancellationToken);
        if (_inputs.Count > 0)
        {
            await Store.LogInputsAsync(Info.RunId, _inputs, cancellationToken);
        }

        foreach (var (local, artifactPath) in _artifacts)
        {
            await Store.UploadArtifactAsync(Info, artifactPath, local, cancellationToken);
        }

        _log(
            $"Tracking server {server} is unreachable ({cause.Message}). The run continues in the local store {Store.Location} as run {Info.RunId}; "
                + "nothing was lost. Upload it when the server is back with: ./build.sh --target=SyncRuns"
        );
    }
}
