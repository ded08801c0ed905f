using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("ExtractModel")]
[TaskDescription("Copies the model to ship (newest finished run that passed the gate; or --run-id, or --model=name@alias) to artifacts/model/ with lineage.json.")]
[IsDependentOn(typeof(Train))]
public sealed class ExtractModel : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var runId = context.Argument("run-id", string.Empty) is { Length: > 0 } id ? id : context.TrainingRun?.RunId;
        var model = context.Argument("model", string.Empty) is { Length: > 0 } m ? m : null;
        var store = context.TrainingRun is not null && runId == context.TrainingRun.RunId ? StoreOfTrainingRun(context) : context.Tracking;
        context.Model = await ModelExtractor.ExtractAsync(store, new ModelReference(context.TrainingConfig.Experiment, model is null ? runId : null, model, context.TrainingConfig.RegisteredModel),
            context.Artifacts.Combine("model").FullPath);

        var mlruns = context.LocalRuns.Root;
        var mlrunsBytes = Directory.Exists(mlruns) ? Directory.EnumerateFiles(mlruns, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        context.Information("ExtractModel: run {0}{1} → {2}: {3:N0} bytes (mlruns/ holds {4:N0} bytes)",
            context.Model.RunId, context.Model.Version is { } v ? $" ({context.Model.RegisteredModel} v{v})" : string.Empty,
            context.Model.Directory, context.Model.Bytes, mlrunsBytes);
        context.Summary.SetSection("Model", $"`{context.Model.Directory}` from run `{context.Model.RunId}`: {context.Model.Bytes:N0} bytes, with lineage.json.");
    }

    // After a fallback the run Train made lives in the local store, not on the server.
    private static ITrackingStore StoreOfTrainingRun(BuildContext context) =>
        context.TrainingRun!.ArtifactUri.StartsWith("file:", StringComparison.Ordinal) ? context.LocalRuns : context.Tracking;
}
