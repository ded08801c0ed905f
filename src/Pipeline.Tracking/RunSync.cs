using System.Text.RegularExpressions;
using Pipeline.Tracking.FileStore;

namespace Pipeline.Tracking;

/// <summary>A registered version made locally during an outage and the server version it became.</summary>
public sealed record SyncedVersion(
    string Name,
    string LocalVersion,
    string ServerVersion,
    IReadOnlyList<string> Aliases
);

/// <summary>One local run and the server run that now holds it.</summary>
public sealed record SyncedRun(
    string LocalRunId,
    string ServerRunId,
    bool IntoOriginalRun,
    IReadOnlyList<SyncedVersion> Versions
);

/// <summary>
/// Uploads runs that fell back to the local store (tagged <c>pipeline.sync=pending</c>) so that one training is one
/// server run: into the run the server already had from before the outage when it still exists (its RUNNING state
/// ended with the real status), else a new run that keeps the training's own start time. Metric history keeps its
/// timestamps, dataset inputs come along, the model's <c>MLmodel</c> and <c>mlflow.log-model.history</c> name the
/// server run, and versions registered locally during the outage are registered on the server with their aliases.
/// </summary>
public static partial class RunSync
{
    public const string SyncedFromTag = "pipeline.synced_from";
    public const string SyncedToTag = "pipeline.synced_to";
    public const string ServerVersionTag = "pipeline.sync.server_version";

    public static async Task<IReadOnlyList<SyncedRun>> SyncAsync(
        FileTrackingStore local,
        ITrackingStore server,
        Action<string> log,
        CancellationToken cancellationToken = default
    )
    {
        var synced = new List<SyncedRun>();
        foreach (var experiment in local.Experiments())
        {
            var pending = local
                .AllRuns(experiment.Id)
                .Where(r => r.Tags.GetValueOrDefault(TrackedRun.SyncTag) == "pending");
            foreach (var run in pending)
            {
                var (target, original) = await TargetAsync(server, experiment.Name, run, cancellationToken);
                await CopyAsync(local, server, run, target, original is not null, cancellationToken);
                var versions = await RegisterAsync(local, server, run.Info.RunId, target, cancellationToken);
                await local.LogBatchAsync(
                    run.Info.RunId,
                    new RunBatch(
                        [],
                        new Dictionary<string, string>(),
                        new Dictionary<string, string>
                        {
                            [TrackedRun.SyncTag] = "done",
                            [TrackedRun.SyncServerRunTag] = target.RunId,
                        }
                    ),
                    cancellationToken
                );
                log(
                    $"SyncRuns: local run {run.Info.RunId} ({run.Info.RunName}) is now run {target.RunId} on {server.Location}"
                        + (original is not null ? " (the run it started as, now ended)" : string.Empty)
                        + string.Concat(
                            versions.Select(v =>
                                $"; {v.Name} v{v.LocalVersion} (local) is v{v.ServerVersion} there"
                                + (v.Aliases.Count > 0 ? $" with {string.Join(", ", v.Aliases)}" : string.Empty)
                            )
                        )
                );
                synced.Add(new SyncedRun(run.Info.RunId, target.RunId, original is not null, versions));
            }
        }

        return synced;
    }

    /// <summary>The server run to fill: the one from before the fallback if it is still there and active, else a new one.</summary>
    private static async Task<(RunInfo Target, RunInfo? Original)> TargetAsync(
        ITrackingStore server,
        string experimentName,
        Run run,
        CancellationToken cancellationToken
    )
    {
        Run? original = null;
        if (run.Tags.GetValueOrDefault(TrackedRun.SyncServerRunTag) is { Length: > 0 } originalId)
        {
            try
            {
                original = await server.GetRunAsync(originalId, cancellationToken);
            }
            catch (TrackingException ex) when (ex.StatusCode == 404)
            {
                original = null;
            }
        }

        if (original is { Info.LifecycleStage: "active" })
        {
            return (original.Info, original.Info);
        }

        var experimentId =
            (await server.GetExperimentByNameAsync(experimentName, cancellationToken))?.Id
            ?? await server.CreateExperimentAsync(experimentName, null, cancellationToken);
        var created = await server.CreateRunAsync(
            experimentId,
            run.Info.RunName,
            run.Info.StartTime,
            new Dictionary<string, string>(ServerTags(run, run.Info.RunId, serverRunId: null))
            {
                [SyncedFromTag] = run.Info.RunId,
            },
            cancellationToken
        );
        if (original is not null)
        {
            await MarkOrphanAsync(server, original.Info.RunId, created.RunId, cancellationToken);
        }

        return (created, null);
    }

    private static async Task CopyAsync(
        FileTrackingStore local,
        ITrackingStore server,
        Run run,
        RunInfo target,
        bool intoOriginal,
        CancellationToken cancellationToken
    )
    {
        var existing = intoOriginal ? await server.GetRunAsync(target.RunId, cancellationToken) : null;
        var history = new List<Metric>();
        foreach (var key in run.Metrics.Keys)
        {
            var logged =
                existing?.Metrics.ContainsKey(key) == true
                    ? (await server.GetMetricHistoryAsync(target.RunId, key, cancellationToken)).ToHashSet()
                    : [];
            history.AddRange(
                (await local.GetMetricHistoryAsync(run.Info.RunId, key, cancellationToken)).Where(m =>
                    !logged.Contains(m)
                )
            );
        }

        var parameters = run
            .Params.Where(p => existing?.Params.GetValueOrDefault(p.Key) != p.Value)
            .ToDictionary(p => p.Key, p => p.Value);
        var tags = new Dictionary<string, string>(ServerTags(run, run.Info.RunId, target.RunId))
        {
            [SyncedFromTag] = run.Info.RunId,
        };
        await server.LogBatchAsync(target.RunId, new RunBatch(history, parameters, tags), cancellationToken);
        if (local.ReadInputs(run.Info.RunId) is { Count: > 0 } inputs)
        {
            await server.LogInputsAsync(target.RunId, inputs, cancellationToken);
        }

        await UploadArtifactsAsync(local.ArtifactFolder(run.Info), server, target, run.Info.RunId, cancellationToken);
        await server.UpdateRunAsync(target.RunId, run.Info.Status, run.Info.EndTime, cancellationToken);
    }

    /// <summary>The run's own tags for the server: no sync bookkeeping, and the local run id replaced by the server's.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ServerTags(
        Run run,
        string localRunId,
        string? serverRunId
    ) =>
        run
            .Tags.Where(t =>
                !t.Key.StartsWith(TrackedRun.SyncTag, StringComparison.Ordinal) && t.Key != "mlflow.runName"
            )
            .Select(t =>
                serverRunId is not null && t.Key == "mlflow.log-model.history"
                    ? new KeyValuePair<string, string>(
                        t.Key,
                        t.Value.Replace(localRunId, serverRunId, StringComparison.Ordinal)
                    )
                    : t
            );

    private static async Task UploadArtifactsAsync(
        string folder,
        ITrackingStore server,
        RunInfo target,
        string localRunId,
        CancellationToken cancellationToken
    )
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var artifactPath = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (Path.GetFileName(file) != MlModelFile.FileName)
            {
                await server.UploadArtifactAsync(target, artifactPath, file, cancellationToken);
                continue;
            }

            var rewritten = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(
                    rewritten,
                    RewriteRunId(await File.ReadAllTextAsync(file, cancellationToken), localRunId, target.RunId),
                    cancellationToken
                );
                await server.UploadArtifactAsync(target, artifactPath, rewritten, cancellationToken);
            }
            finally
            {
                File.Delete(rewritten);
            }
        }
    }

    /// <summary>An MLmodel file's <c>run_id:</c> line, pointed at the server run.</summary>
    public static string RewriteRunId(string mlmodel, string localRunId, string serverRunId) =>
        MlModelRunId().Replace(mlmodel, m => m.Groups[1].Value == localRunId ? $"run_id: {serverRunId}" : m.Value);

    /// <summary>Versions the local registry gave this run during the outage, registered again on the server.</summary>
    private static async Task<IReadOnlyList<SyncedVersion>> RegisterAsync(
        FileTrackingStore local,
        ITrackingStore server,
        string localRunId,
        RunInfo target,
        CancellationToken cancellationToken
    )
    {
        var registered = new List<SyncedVersion>();
        foreach (var name in local.RegisteredModelNames())
        {
            var model = (await local.GetRegisteredModelAsync(name, cancellationToken))!;
            var versions = (await local.SearchModelVersionsAsync(name, cancellationToken)).Where(v =>
                v.RunId == localRunId && !v.Tags.ContainsKey(ServerVersionTag)
            );
            foreach (
                var version in versions.OrderBy(v =>
                    int.Parse(v.Version, System.Globalization.CultureInfo.InvariantCulture)
                )
            )
            {
                if (await server.GetRegisteredModelAsync(name, cancellationToken) is null)
                {
                    await server.CreateRegisteredModelAsync(name, model.Description, cancellationToken);
                }

                var onServer = await server.CreateModelVersionAsync(
                    name,
                    ServerSource(version.Source, target),
                    target.RunId,
                    version.Tags,
                    cancellationToken
                );
                var aliases = model.Aliases.Where(a => a.Value == version.Version).Select(a => a.Key).Order().ToList();
                foreach (var alias in aliases)
                {
                    await server.SetAliasAsync(name, alias, onServer.Version, cancellationToken);
                }

                await local.SetModelVersionTagAsync(name, version.Version, ServerVersionTag, onServer.Version);
                registered.Add(new SyncedVersion(name, version.Version, onServer.Version, aliases));
            }
        }

        return registered;
    }

    /// <summary>A local version's source (…/&lt;run&gt;/artifacts/model) as the same path under the server run's artifacts.</summary>
    private static string ServerSource(string localSource, RunInfo target)
    {
        const string Marker = "/artifacts/";
        var at = localSource.IndexOf(Marker, StringComparison.Ordinal);
        var path = at >= 0 ? localSource[(at + Marker.Length)..] : "model";
        return target.ArtifactUri.TrimEnd('/') + "/" + path;
    }

    private static async Task MarkOrphanAsync(
        ITrackingStore server,
        string orphanId,
        string syncedId,
        CancellationToken cancellationToken
    )
    {
        try
        {
            await server.LogBatchAsync(
                orphanId,
                new RunBatch(
                    [],
                    new Dictionary<string, string>(),
                    new Dictionary<string, string> { [SyncedToTag] = syncedId }
                ),
                cancellationToken
            );
            await server.UpdateRunAsync(
                orphanId,
                RunStatus.Failed,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                cancellationToken
            );
        }
        catch (TrackingException)
        {
            // A deleted run may refuse writes; the synced run still records where it came from.
        }
    }

    [GeneratedRegex(@"(?m)^run_id: ([0-9a-f]+)[ \t\r]*$")]
    private static partial Regex MlModelRunId();
}
