using Pipeline.Build.Arguments;
using Pipeline.DataVersioning.Operations;
using Dvc = Pipeline.DataVersioning.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("AddDataset")]
[TaskDescription(
    "Tracks a file or folder with DVC: hashes and caches it, writes its .dvc file and git-ignores it (dvc add)."
)]
public class AddDataset : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Path = DataArguments.Path;

    public override void Run(BuildContext context)
    {
        var path = Path.Get(context) is { Length: > 0 } given
            ? given
            : throw new CakeException("--path is required: the file or folder to track.");
        var repository = DvcRepository.TryOpen(context.Root.FullPath) ?? DvcRepository.Init(context.Root.FullPath);
        var result = Dvc.DataAdd.Add(repository, path);
        context.Information(
            "AddDataset: {0} is md5 {1} ({2} bytes{3}); commit {4} to git.",
            path,
            result.Id.Value,
            result.Size,
            result.FileCount is { } n ? $", {n} files" : string.Empty,
            repository.RelativePath(result.DvcFilePath)
        );
    }
}
