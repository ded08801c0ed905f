using Pipeline.Datasets.Monthly;

namespace Pipeline.Build.Tasks;

[TaskName("CreateMonthly")]
[TaskDescription("Builds the verified and full datasets of --year/--month (default: the previous UTC month) with manifests and data-quality checks (--min-class-share, --max-duplicate-share).")]
public sealed class CreateMonthly : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var (year, month) = context.DatasetMonth();
        var quality = new QualityOptions(context.Argument("min-class-share", 0.2), context.Argument("max-duplicate-share", 0.3));
        var result = await MonthlyBuilder.CreateAsync(context.DatasetStorage(), year, month, quality);
        context.Information("CreateMonthly {0:0000}-{1:00}: verified {2} rows ({3}), full {4} rows ({5})",
            year, month, result.Verified.Rows, result.Verified.Version, result.Full.Rows, result.Full.Version);
        foreach (var flag in result.Flags)
        {
            context.Warning("CreateMonthly flag: {0}", flag);
        }
    }
}
