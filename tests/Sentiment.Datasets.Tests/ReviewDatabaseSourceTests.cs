using Pipeline.Collection;
using Pipeline.Collection.Daily;
using Pipeline.Collection.Storage;
using Pipeline.Testing;
using Sentiment.Reviews;

namespace Sentiment.Datasets.Tests;

/// <summary>Collection from the API's real reviews database (SQLite here; PostgreSQL is exercised by the API tests).</summary>
public sealed class ReviewDatabaseSourceTests
{
    [Fact]
    public async Task Collect_FromTheReviewsDatabase_TakesReviewsAndLaterFeedback()
    {
        using var temp = new TempDirectory("db-source");
        var reviews = ReviewStore.Create(null, temp.Combine("reviews.db"));
        await reviews.MigrateAsync();
        await reviews.SeedAsync(Path.Combine(AppContext.BaseDirectory, "movies.json"));
        var first = await reviews.AddReviewAsync(1, "Wonderful", "positive", 0.9, "v3");
        await reviews.AddReviewAsync(2, "Dreadful", "negative", 0.1, "v3");
        var store = new LocalObjectStorage(temp.Combine("store"));

        var collected = await DailyCollector.CollectAsync(
            store,
            new DatabaseReviewSource(reviews),
            DateTimeOffset.UtcNow
        );
        await reviews.SetFeedbackAsync(first.Id, "negative");
        var feedback = await DailyCollector.CollectAsync(
            store,
            new DatabaseReviewSource(reviews),
            DateTimeOffset.UtcNow.AddSeconds(1)
        );

        collected.Rows.ShouldBe(2);
        feedback.Rows.ShouldBe(1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var rows = DatasetFiles
            .ReadCsv((await store.ReadAsync(DatasetKeys.Candidate(today, "reviews.csv")))!, "t")
            .Select(CandidateRow.Parse)
            .ToList();
        rows.Count.ShouldBe(2);
        rows.Single(r => r.ReviewId == first.Id).VerifiedSentiment.ShouldBe("negative");
    }
}
