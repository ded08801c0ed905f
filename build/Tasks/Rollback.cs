using Pipeline.Build.Arguments;
using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("Rollback")]
[TaskDescription(
    "Returns the registry alias 'champion' of the registered model to the previous champion and records the rollback as a tag."
)]
public sealed class Rollback : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Model = TrackingArguments.Model;

    public override async Task RunAsync(BuildContext context)
    {
        var name = RegisteredModelReference.Parse(Model.Get(context))?.Name ?? context.TrainingConfig.RegisteredModel;
        var back = await new ModelRegistry(context.Tracking).RollbackAsync(name);
        context.Information("Rollback: {0} champion is back at v{1} (run {2}).", name, back.Version, back.RunId);
    }
}
