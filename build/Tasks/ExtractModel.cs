using Pipeline.Build.Arguments;
using Pipeline.Tracking;
using Pipeline.Training;
using Pipeline.TrainingRuns;

namespace Pipeline.Build.Tasks;

[TaskName("ExtractModel")]
[TaskDescription(
    "Reads the registry, never trains: copies one model to artifacts/model/ with lineage.json: --run-id, or "
        + "--model=NAME@ALIAS|NAME/VERSION, else the run Train just made, else the newest finished run that passed the gate. "
        + "A model without the trainer's flavor is refused."
)]
public sealed class ExtractModel(IEnumerable<IModelTrainer> trainers) : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> RunId = TrackingArguments.RunId;
    private static readonly BuildArgument<string> Model = TrackingArguments.Model;

    public override async Task RunAsync(BuildContext context)
    {
        _ = TrackingArguments.NamedModel(context); // refuses --run-id and --model together
        var model = RegisteredModelReference.Parse(Model.Get(context));
        var runId = RunId.Get(context) is { Length: > 0 } id ? id : context.TrainingRun?.RunId;
        context.Model = await ModelExtractor.ExtractAsync(
            StoreOf(context, runId),
            new ModelReference(
                context.TrainingConfig.Experiment,
                model is null ? runId : null,
                model?.ToString(),
                context.TrainingConfig.RegisteredModel,
                TrackedTraining.Find(trainers, context.TrainingConfig).Flavor
            ),
            context.ModelDirectory.FullPath
        );
        context.Information(
            "ExtractModel: run {0}{1} → {2}: {3:N0} bytes",
            context.Model.RunId,
            context.Model.Version is { } v ? $" ({context.Model.RegisteredModel} v{v})" : string.Empty,
            context.DisplayPath(context.Model.Directory),
            context.Model.Bytes
        );
        context.Summary.SetSection(
            "Model",
            $"`{context.Model.Directory}` from run `{context.Model.RunId}`: {context.Model.Bytes:N0} bytes, with lineage.json."
        );
    }

    // After a fallback the run Train made lives in the local store, not on the server.
    private static ITrackingStore StoreOf(BuildContext context, string? runId) =>
        context.TrainingRun is { } trained
        && runId == trained.RunId
        && trained.ArtifactUri.StartsWith("file:", StringComparison.Ordinal)
            ? context.LocalRuns
            : context.Tracking;
}
