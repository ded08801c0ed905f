using Pipeline.Build.Arguments;
using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("Promote")]
[TaskDescription(
    "Moves the registry alias 'champion' to a version: --model=NAME/VERSION or NAME@ALIAS, "
        + "or by default the version artifacts/model/lineage.json names."
)]
public sealed class Promote : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Model = TrackingArguments.Model;

    public override async Task RunAsync(BuildContext context)
    {
        var promoted =
            await new ModelRegistry(context.Tracking).PromoteReferenceAsync(
                RegisteredModelReference.Parse(Model.Get(context)),
                context.ModelDirectory.FullPath
            )
            ?? throw new InvalidOperationException(
                "Promote: artifacts/model/lineage.json names no registered version; give --model=NAME/VERSION or run ExtractModel first."
            );
        context.Information(
            "Promote: {0} v{1} (run {2}) is now the champion.",
            promoted.Name,
            promoted.Version,
            promoted.RunId
        );
    }
}
