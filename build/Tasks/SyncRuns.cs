using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("SyncRuns")]
[TaskDescription(
    "Uploads runs that fell back to the local mlruns/ while the tracking server was unreachable to MLFLOW_TRACKING_URI: "
        + "into the run the server already had, with versions registered meanwhile; re-points artifacts/model at them."
)]
public sealed class SyncRuns : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> TrackingUri = Arguments.TrackingArguments.TrackingUri;

    public override async Task RunAsync(BuildContext context)
    {
        if (context.Tracking == context.LocalRuns)
        {
            throw new InvalidOperationException(
                "SyncRuns: set MLFLOW_TRACKING_URI (or --tracking-uri) to the server to upload to."
            );
        }

        var synced = await RunSync.SyncAsync(
            context.LocalRuns,
            context.Tracking,
            message => context.Information(message)
        );
        foreach (var run in synced)
        {
            if (ModelExtractor.Relink(context.ModelDirectory.FullPath, run, context.Tracking.Location))
            {
                context.Information(
                    "SyncRuns: {0} now names run {1}{2}.",
                    context.DisplayPath(context.ModelDirectory.FullPath),
                    run.ServerRunId,
                    run.Versions.Count > 0
                        ? $" and {run.Versions[0].Name} v{run.Versions[0].ServerVersion}"
                        : string.Empty
                );
            }
        }

        context.Information("SyncRuns: {0} run(s) uploaded.", synced.Count);
    }
}
