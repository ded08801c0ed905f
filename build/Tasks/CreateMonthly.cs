using Pipeline.Build.Arguments;
using Pipeline.Collection.Monthly;

namespace Pipeline.Build.Tasks;

[TaskName("CreateMonthly")]
[TaskDescription(
    "Builds the verified and full datasets of one UTC month from the collected days, with manifests and data-quality checks."
)]
public sealed class CreateMonthly : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Storage = CollectionArguments.Storage;
    private static readonly BuildArgument<string> S3Endpoint = CollectionArguments.S3Endpoint;
    private static readonly BuildArgument<int> Year = CollectionArguments.Year;
    private static readonly BuildArgument<int> Month = CollectionArguments.Month;
    private static readonly BuildArgument<double> MinClassShare = new(
        "min-class-share",
        0.2,
        "the smallest share the smaller class may have",
        "SHARE"
    );
    private static readonly BuildArgument<double> MaxDuplicateShare = new(
        "max-duplicate-share",
        0.3,
        "the largest share of duplicate texts allowed",
        "SHARE"
    );

    public override async Task RunAsync(BuildContext context)
    {
        var (year, month) = context.DatasetMonth();
        var result = await MonthlyBuilder.CreateAsync(
            context.DatasetStorage(),
            year,
            month,
            new QualityOptions(MinClassShare.Get(context), MaxDuplicateShare.Get(context))
        );
        context.Information(
            "CreateMonthly {0:0000}-{1:00}: verified {2} rows ({3}), full {4} rows ({5})",
            year,
            month,
            result.Verified.Rows,
            result.Verified.Version,
            result.Full.Rows,
            result.Full.Version
        );
        foreach (var flag in result.Flags)
        {
            context.Warning("CreateMonthly flag: {0}", flag);
        }
    }
}
