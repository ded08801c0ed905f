using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("Promote")]
[TaskDescription("Moves the registry alias 'champion' to --version=N (default: the version in artifacts/model/lineage.json) of --model (default: the configured registered model).")]
public sealed class Promote : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var name = context.Argument("model", context.TrainingConfig.RegisteredModel);
        var version = context.Argument("version", string.Empty) is { Length: > 0 } v ? v : LineageVersion(context)
            ?? throw new InvalidOperationException("Promote: give --version=N, or run ExtractModel with a registered model first (artifacts/model/lineage.json has no version).");
        var promoted = await new ModelRegistry(context.Tracking).PromoteAsync(name, version);
        context.Information("Promote: {0} v{1} (run {2}) is now the champion.", name, promoted.Version, promoted.RunId);
    }

    internal static string? LineageVersion(BuildContext context) =>
        ModelExtractor.ReadLineage(context.Artifacts.Combine("model").FullPath, "version");
}
