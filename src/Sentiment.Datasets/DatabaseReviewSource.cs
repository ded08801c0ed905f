using Pipeline.Collection;
using Pipeline.Collection.Daily;
using Sentiment.Reviews;

namespace Sentiment.Datasets;

/// <summary>The API's reviews database (PostgreSQL or SQLite) as a source for daily collection.</summary>
public sealed class DatabaseReviewSource(ReviewStore store) : IReviewSource
{
    public async Task<IReadOnlyList<CandidateRow>> ChangedAsync(
        long since,
        long until,
        CancellationToken cancellationToken = default
    ) =>
        [
            .. (await store.GetReviewsChangedAsync(since, until)).Select(r => new CandidateRow(
                r.Id,
                r.Text,
                r.PredictedSentiment,
                r.VerifiedSentiment,
                r.ModelVersion,
                r.ChangedAt
            )),
        ];
}

/// <summary>Opens the sentiment API's reviews database for the CollectDaily stage and the CronJob.</summary>
public sealed class ReviewDatabaseSources : IReviewSourceFactory
{
    public (IReviewSource Source, string Description) Open(string? postgresConnectionString, string sqlitePath)
    {
        var store = ReviewStore.Create(
            postgresConnectionString is { Length: > 0 } ? postgresConnectionString : null,
            sqlitePath
        );
        return (new DatabaseReviewSource(store), store.Description);
    }
}
