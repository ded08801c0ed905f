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

    /// <summary>A stage that ships a named model (--model, --run-id) must ship that one, so nothing new is trained.</summary>
    public override bool ShouldRun(BuildContext context)
    {
        if (TrackingArguments.NamedModel(context) is { } named)
        {
            context.Information("Train: skipped: {0} names the model to ship, so no new one is trained.", named);
            return false;
        }

        return true;
    }

    public override async Task RunAsync(BuildContext context)
    {
        var trainer = TrackedTraining.Find(trainers, context.TrainingConfig);
        var result = await TrackedTraining.RunAsync(
            TrainingRequests.For(context, trainer, Smoke.Get(context), AllowNoChampion.Get(context))
        );
        TrainingReport.Summarize(context, result);
        if (!result.Gate.Passed)
        {
            throw new InvalidOperationException(result.Gate.Describe());
        }
    }
}
