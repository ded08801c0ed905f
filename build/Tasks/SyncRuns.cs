using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("SyncRuns")]
[TaskDescription(
    "Uploads runs that fell back to the local mlruns/ while the tracking server was unreachable to MLFLOW_TRACKING_URI."
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
        context.Information("SyncRuns: {0} run(s) uploaded.", synced.Count);
    }
}
