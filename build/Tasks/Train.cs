using Pipeline.Build.Arguments;
using Pipeline.Build.Reporting;
using Pipeline.TrainingRuns;

namespace Pipeline.Build.Tasks;

[TaskName("Train")]
[TaskDescription(
    "Trains and evaluates the configured model in a tracked run, then enforces the quality gate (floors, and the champion)."
)]
[IsDependentOn(typeof(PullDataset))]
public sealed class Train(IEnumerable<Pipeline.Training.IModelTrainer> trainers) : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Config = TrainingArguments.Config;
    private static readonly RepeatableArgument Param = TrainingArguments.Param;
    private static readonly RepeatableArgument Dataset = TrainingArguments.Dataset;
    private static readonly BuildFlag Smoke = TrainingArguments.Smoke;
    private static readonly BuildFlag AllowNoChampion = TrainingArguments.AllowNoChampion;
    private static readonly BuildArgument<string> TrackingUri = TrackingArguments.TrackingUri;

    private static readonly BuildArgument<string> RunId = TrackingArguments.RunId;
    private static readonly BuildArgument<string> Model = TrackingArguments.Model;

    /// <summary>A stage that ships a named model (--model, --run-id) must ship that one, so nothing new is trained.</summary>
    public override bool ShouldRun(BuildContext context)
    {
        var named =
            Model.Get(context) is { Length: > 0 } model ? $"--model={model}"
            : RunId.Get(context) is { Length: > 0 } run ? $"--run-id={run}"
            : null;
        if (named is not null)
        {
            context.Information("Train: skipped: {0} names the model to ship, so no new one is trained.", named);
        }

        return named is null;
    }

    public override async Task RunAsync(BuildContext context)
    {
        var config = context.TrainingConfig;
        var trainer = TrackedTraining.Find(trainers, config);
        var datasetPath = context.TrainingDataset;
        var result = await TrackedTraining.RunAsync(
            new TrackedTrainingRequest(
                context.Tracking,
                context.Tracking == context.LocalRuns ? null : context.LocalRuns,
                trainer,
                new(
                    datasetPath,
                    context.Artifacts.Combine("training").FullPath,
                    config,
                    Smoke.Get(context),
                    message => context.Information(message)
                )
                {
                    EvaluationDatasetPath = context.EvaluationDataset,
                },
                $"{config.Model}-{context.Version.Version}",
                context.LineageTags(),
                context.DisplayPath(datasetPath),
                message => context.Warning(message),
                Started: run =>
                {
                    context.TrainingRun = run.Info;
                    context.Information("Tracking run {0} in {1}", run.Info.RunId, run.Store.Location);
                },
                AllowNoChampion.Get(context)
            )
        );
        TrainingReport.Summarize(context, result);
        if (!result.Gate.Passed)
        {
            throw new InvalidOperationException(result.Gate.Describe());
        }
    }
}
