using Pipeline.Data.Operations;
using Pipeline.Datasets.Monthly;

namespace Pipeline.Build.Tasks;

[TaskName("PublishDataset")]
[TaskDescription("Makes a monthly dataset (--year, --month, --kind=full|verified) the next DVC-tracked version of --path (default data/train.csv); push it with DataPush.")]
public sealed class PublishDataset : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var (year, month) = context.DatasetMonth();
        var kind = context.Argument("kind", "full");
        if (kind is not ("full" or "verified"))
        {
            throw new InvalidOperationException($"--kind: '{kind}' is not 'full' or 'verified'.");
        }

        var repository = DvcRepository.TryOpen(context.Root.FullPath) ?? DvcRepository.Init(context.Root.FullPath);
        var path = context.Argument("path", "data/train.csv");
        var added = await DatasetPublisher.PublishAsync(context.DatasetStorage(), kind, year, month, repository, path);
        context.Information("PublishDataset: {0} {1:0000}-{2:00} is now {3} (md5 {4}); commit {5}.dvc and run DataPush.", kind, year, month, path, added.Id.Value, path);
    }
}
