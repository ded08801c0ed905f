using Pipeline.Data.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("PullDataset")]
[TaskDescription("Pulls every DVC-tracked output, or those named by --dataset, re-hashing every object; --remote, --jobs, --force; --working=DIR for another repository.")]
[IsDependentOn(typeof(Checkout))]
public sealed class PullDataset : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var repository = DvcRepository.TryOpen(context.Root.FullPath);
        if (repository is null || repository.LoadDvcFiles().Count == 0)
        {
            context.Information("PullDataset: {0} tracks no data with DVC (no .dvc files); nothing to pull.", context.Root);
            return;
        }

        var result = await DataPull.PullAsync(repository, context.DatasetArguments, context.TransferOptions());
        foreach (var change in result.Changes)
        {
            context.Information(change.ToString());
        }

        context.Information(result.Summary);
        context.Datasets = [.. result.Outputs.Select(o => new DatasetRecord(repository.RelativePath(o.WorkspacePath), o.Id!.Value, o.Size))];
        context.Summary.SetSection("Datasets", string.Join('\n', context.Datasets.Select(d => $"- `{d.Path}` md5 `{d.Md5}`")));
    }
}
