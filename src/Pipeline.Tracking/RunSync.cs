using Pipeline.Tracking.FileStore;

namespace Pipeline.Tracking;

/// <summary>Uploads runs that fell back to the local store (tagged <c>pipeline.sync=pending</c>) to the server, with their full metric history and artifacts.</summary>
public static class RunSync
{
    public static async Task<IReadOnlyList<(string LocalRunId, string ServerRunId)>> SyncAsync(
        FileTrackingStore local,
        ITrackingStore server,
        Action<string> log,
        CancellationToken cancellationToken = default
    )
    {
        var synced = new List<(string, string)>();
        foreach (var experiment in local.Experiments())
        {
            foreach (
                var run in local
                    .AllRuns(experiment.Id)
                    .Where(r => r.Tags.GetValueOrDefault(TrackedRun.SyncTag) == "pending")
            )
            {
                var remoteExperiment =
                    (await server.GetExperimentByNameAsync(experiment.Name, cancellationToken))?.Id
                    ?? await server.CreateExperimentAsync(experiment.Name, null, cancellationToken);
                var tags = run
                    .Tags.Where(t =>
                        !t.Key.StartsWith(TrackedRun.SyncTag, StringComparison.Ordinal) && t.Key != "mlflow.runName"
                    )
                    .Append(new("pipeline.synced_from", run.Info.RunId))
                    .ToDictionary();
                var remote = await server.CreateRunAsync(
                    remoteExperiment,
                    run.Info.RunName,
                    run.Info.StartTime,
                    tags,
                    cancellationToken
                );
                var history = new List<Metric>();
                foreach (var key in run.Metrics.Keys)
                {
                    history.AddRange(await local.GetMetricHistoryAsync(run.Info.RunId, key, cancellationToken));
                }

                await server.LogBatchAsync(
                    remote.RunId,
                    new RunBatch(history, run.Params, new Dictionary<string, string>()),
                    cancellationToken
                );
                var artifacts = local.ArtifactFolder(run.Info);
                if (Directory.Exists(artifacts))
                {
                    foreach (var file in Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories))
                    {
                        await server.UploadArtifactAsync(
                            remote,
                            Path.GetRelativePath(artifacts, file).Replace('\\', '/'),
                            file,
                            cancellationToken
                        );
                    }
                }

                await server.UpdateRunAsync(remote.RunId, run.Info.Status, run.Info.EndTime, cancellationToken);
                await local.LogBatchAsync(
                    run.Info.RunId,
                    new RunBatch(
                        [],
                        new Dictionary<string, string>(),
                        new Dictionary<string, string>
                        {
                            [TrackedRun.SyncTag] = "done",
                            ["pipeline.sync.server_run_id"] = remote.RunId,
                        }
                    ),
                    cancellationToken
                );
                log(
                    $"SyncRuns: local run {run.Info.RunId} ({run.Info.RunName}) is now run {remote.RunId} on {server.Location}"
                );
                synced.Add((run.Info.RunId, remote.RunId));
            }
        }

        return synced;
    }
}
