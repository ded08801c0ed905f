using Pipeline.Data.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("DataAdd")]
[TaskDescription("Tracks --path=<file|folder> with DVC: hashes and caches it, writes its .dvc file (DVC 3 format) and git-ignores it.")]
public sealed class DataAdd : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var path = context.Argument<string>("path");
        var repository = DvcRepository.TryOpen(context.Root.FullPath) ?? DvcRepository.Init(context.Root.FullPath);
        var result = Pipeline.Data.Operations.DataAdd.Add(repository, path);
        context.Information("DataAdd: {0} is md5 {1} ({2} bytes{3}); commit {4} to git.",
            path, result.Id.Value, result.Size, result.FileCount is { } n ? $", {n} files" : string.Empty, repository.RelativePath(result.DvcFilePath));
    }
}
