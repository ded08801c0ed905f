using Pipeline.DataVersioning.Versions;

namespace Pipeline.Build.Tasks;

[TaskName("DatasetVersion")]
[TaskDescription(
    "Derives one numbered version of a dataset from the full CSV (1 = the first 10,000 rows, 2 = all, unless --versions says otherwise)."
)]
public class DatasetVersion : FrostingTask<BuildContext>
{
    private static readonly RequiredArgument<string> Source = new("source", "the full dataset CSV", "FILE");
    private static readonly RequiredArgument<int> Number = new(
        "dataset-version",
        "which version to write",
        "N",
        deprecatedNames: ["version"]
    );
    private static readonly RequiredArgument<string> Out = new("out", "where the version is written", "FILE");
    private static readonly BuildArgument<string> Versions = new(
        "versions",
        string.Empty,
        "what each version holds, e.g. 1=500,2=all",
        "N=ROWS|all,…"
    );

    public override void Run(BuildContext context)
    {
        var result = DatasetVersions.Create(
            context.MakeAbsolute(context.File(Source.Get(context))).FullPath,
            Number.Get(context),
            context.MakeAbsolute(context.File(Out.Get(context))).FullPath,
            Versions.Get(context) is { Length: > 0 } spec ? DatasetVersions.ParseVersions(spec) : null
        );
        context.Information(
            "DatasetVersion: version {0} has {1} rows, md5 {2}, at {3}",
            result.Version,
            result.Rows,
            result.Md5,
            result.OutputPath
        );
    }
}
