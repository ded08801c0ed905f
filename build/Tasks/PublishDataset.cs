using Pipeline.Build.Arguments;
using Pipeline.Collection.Monthly;
using Pipeline.DataVersioning.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("PublishDataset")]
[TaskDescription("Makes a monthly dataset the next DVC-tracked version of a workspace path; push it with PushDataset.")]
public sealed class PublishDataset : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Storage = CollectionArguments.Storage;
    private static readonly BuildArgument<string> S3Endpoint = CollectionArguments.S3Endpoint;
    private static readonly BuildArgument<int> Year = CollectionArguments.Year;
    private static readonly BuildArgument<int> Month = CollectionArguments.Month;
    private static readonly BuildArgument<string> Kind = CollectionArguments.Kind;
    private static readonly BuildArgument<string> Path = DataArguments.Path;

    public override async Task RunAsync(BuildContext context)
    {
        var (year, month) = context.DatasetMonth();
        var kind = Kind.Get(context);
        if (kind is not ("full" or "verified"))
        {
            throw new InvalidOperationException($"--kind: '{kind}' is not 'full' or 'verified'.");
        }

        var repository = DvcRepository.TryOpen(context.Root.FullPath) ?? DvcRepository.Init(context.Root.FullPath);
        var path = Path.Get(context) is { Length: > 0 } given ? given : "data/train.csv";
        var added = await DatasetPublisher.PublishAsync(context.DatasetStorage(), kind, year, month, repository, path);
        context.Information(
            "PublishDataset: {0} {1:0000}-{2:00} is now {3} (md5 {4}); commit {5}.dvc and run PushDataset.",
            kind,
            year,
            month,
            path,
            added.Id.Value,
            path
        );
    }
}
