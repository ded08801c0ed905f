using Sentiment.Reviews;

namespace Pipeline.Datasets.Collection;

/// <summary>The API's reviews database (PostgreSQL or SQLite) as a source for daily collection.</summary>
public sealed class DatabaseReviewSource(ReviewStore store) : IReviewSource
{
    public async Task<IReadOnlyList<CandidateRow>> ChangedAsync(long since, long until, CancellationToken cancellationToken = default) =>
        [.. (await store.GetReviewsChangedAsync(since, until))
            .Select(r => new CandidateRow(r.Id, r.Text, r.PredictedSentiment, r.VerifiedSentiment, r.ModelVersion, r.ChangedAt))];
}
