using Pipeline.Data.Versions;

namespace Pipeline.Build.Tasks;

[TaskName("DataVersion")]
[TaskDescription("Derives dataset --version=N from --source=full.csv into --out=file (1 = first 10,000 rows, 2 = all; --versions=1=500,2=all to change).")]
public sealed class DataVersion : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var versions = context.Argument("versions", string.Empty) is { Length: > 0 } spec ? DatasetVersions.ParseVersions(spec) : null;
        var result = DatasetVersions.Create(
            context.MakeAbsolute(context.File(context.Argument<string>("source"))).FullPath,
            context.Argument<int>("version"),
            context.MakeAbsolute(context.File(context.Argument<string>("out"))).FullPath,
            versions);
        context.Information("DataVersion: version {0} has {1} rows, md5 {2}, at {3}", result.Version, result.Rows, result.Md5, result.OutputPath);
    }
}
