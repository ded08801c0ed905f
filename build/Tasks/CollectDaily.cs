using Pipeline.Build.Arguments;
using Pipeline.Collection.Daily;

namespace Pipeline.Build.Tasks;

[TaskName("CollectDaily")]
[TaskDescription(
    "Collects the reviews and feedback stored since the last collection into candidates/<day>/ of the dataset store."
)]
public sealed class CollectDaily(IReviewSourceFactory sources) : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Storage = CollectionArguments.Storage;
    private static readonly BuildArgument<string> S3Endpoint = CollectionArguments.S3Endpoint;
    private static readonly BuildArgument<string> Postgres = new(
        "postgres",
        string.Empty,
        "the served API's PostgreSQL connection string",
        "CONNECTION",
        environmentVariable: "REVIEWS_POSTGRES"
    );
    private static readonly BuildArgument<string> Sqlite = new(
        "sqlite",
        string.Empty,
        "the served API's SQLite file (used without --postgres)",
        "FILE",
        defaultText: "artifacts/<service>.db"
    );

    public override async Task RunAsync(BuildContext context)
    {
        var sqlite = Sqlite.Get(context) is { Length: > 0 } file
            ? context.MakeAbsolute(context.File(file)).FullPath
            : context.ServiceDatabase.FullPath;
        var (source, description) = sources.Open(Postgres.Get(context), sqlite);
        var store = context.DatasetStorage();
        var result = await DailyCollector.CollectAsync(store, source, DateTimeOffset.UtcNow);
        context.Information(
            "CollectDaily: {0} row(s) from {1} into {2} day folder(s) of {3}",
            result.Rows,
            description,
            result.Days.Count,
            store.Location
        );
    }
}
