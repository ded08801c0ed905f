using Pipeline.Build.Arguments;
using Pipeline.DataVersioning.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("PullDataset")]
[TaskDescription(
    "Pulls every DVC-tracked dataset (or only --dataset, with the config's eval_dataset) from the remote into the workspace, re-hashing every object; "
        + "records each dataset's md5 for the run's lineage."
)]
[IsDependentOn(typeof(Checkout))]
public sealed class PullDataset : AsyncFrostingTask<BuildContext>
{
    private static readonly RepeatableArgument Dataset = TrainingArguments.Dataset;
    private static readonly BuildArgument<string> Remote = DataArguments.Remote;
    private static readonly BuildArgument<int> Jobs = DataArguments.Jobs;
    private static readonly BuildFlag Force = DataArguments.Force;

    public override async Task RunAsync(BuildContext context)
    {
        var repository = DvcRepository.TryOpen(context.Root.FullPath);
        if (repository is null || repository.LoadOutputs().Count == 0)
        {
            context.Information(
                "PullDataset: {0} tracks no data with DVC (no .dvc files, no dvc.lock outputs); nothing to pull.",
                context.Root
            );
            return;
        }

        // A named dataset brings the config's fixed evaluation set with it: Train needs both.
        IReadOnlyList<string> targets =
            Dataset.Get(context) is { Count: > 0 } named && context.TrainingConfigIfAny?.EvalDataset is { } evaluation
                ? [.. named, evaluation]
                : Dataset.Get(context);
        var result = await DataPull.PullAsync(repository, targets, context.TransferOptions());
        foreach (var change in result.Changes)
        {
            context.Information(change.ToString());
        }

        context.Information(result.Summary);
        context.Datasets =
        [
            .. result.Outputs.Select(o => new DatasetRecord(
                repository.RelativePath(o.WorkspacePath),
                o.Id!.Value,
                o.Size
            )),
        ];
        context.Summary.SetSection(
            "Datasets",
            string.Join('\n', context.Datasets.Select(d => $"- `{d.Path}` md5 `{d.Md5}`"))
        );
    }
}
