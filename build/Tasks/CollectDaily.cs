using Pipeline.Datasets.Collection;
using Sentiment.Reviews;

namespace Pipeline.Build.Tasks;

[TaskName("CollectDaily")]
[TaskDescription("Collects reviews and feedback stored since the last collection into candidates/<day>/ (--storage, --postgres or --sqlite=artifacts/reviews.db).")]
public sealed class CollectDaily : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var postgres = context.Argument("postgres", context.Environment.GetEnvironmentVariable("REVIEWS_POSTGRES") ?? string.Empty);
        var reviews = ReviewStore.Create(postgres.Length > 0 ? postgres : null, context.Argument("sqlite", context.Artifacts.CombineWithFilePath("reviews.db").FullPath));
        var store = context.DatasetStorage();
        var result = await DailyCollector.CollectAsync(store, new DatabaseReviewSource(reviews), DateTimeOffset.UtcNow);
        context.Information("CollectDaily: {0} row(s) from {1} into {2} day folder(s) of {3}", result.Rows, reviews.Description, result.Days.Count, store.Location);
    }
}
