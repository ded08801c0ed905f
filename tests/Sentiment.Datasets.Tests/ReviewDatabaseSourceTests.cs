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
        await reviews.SetVerifiedAsync(first.Id, "negative", "test-moderator");
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

    [Fact]
    public async Task Collect_AuthorsCorrection_NeverBecomesAVerifiedLabel()
    {
        using var temp = new TempDirectory("db-author");
        var reviews = ReviewStore.Create(null, temp.Combine("reviews.db"));
        await reviews.MigrateAsync();
        await reviews.SeedAsync(Path.Combine(AppContext.BaseDirectory, "movies.json"));
        var review = await reviews.AddReviewAsync(1, "Wonderful", "positive", 0.9, "v3", authorTokenSha256: "abc");
        (await reviews.SetAuthorFeedbackAsync(review.Id, "abc", "negative")).Outcome.ShouldBe(
            AuthorFeedbackOutcome.Recorded
        );
        var store = new LocalObjectStorage(temp.Combine("store"));

        await DailyCollector.CollectAsync(store, new DatabaseReviewSource(reviews), DateTimeOffset.UtcNow);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var row = DatasetFiles
            .ReadCsv((await store.ReadAsync(DatasetKeys.Candidate(today, "reviews.csv")))!, "t")
            .Select(CandidateRow.Parse)
            .Single();
        row.VerifiedSentiment.ShouldBeNull();
        row.Label.ShouldBe("positive");
    }

    [Fact]
    public async Task Migrate_LabelsGivenAnonymouslyBefore_MovesThemOutOfTheVerifiedColumn()
    {
        using var temp = new TempDirectory("db-migrate");
        var path = temp.Combine("reviews.db");
        // The database as the first schema left it: feedback from anyone stored as the verified label.
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);
                INSERT INTO schema_version VALUES (1, 0);
                CREATE TABLE movies (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, year BIGINT NOT NULL, genre TEXT NOT NULL, description TEXT NOT NULL);
                CREATE TABLE reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, movie_id BIGINT NOT NULL REFERENCES movies(id),
                    text TEXT NOT NULL, predicted_sentiment TEXT NOT NULL, probability DOUBLE PRECISION NOT NULL,
                    model_version TEXT NOT NULL, created_at BIGINT NOT NULL, verified_sentiment TEXT NULL, feedback_at BIGINT NULL);
                INSERT INTO movies (title, year, genre, description) VALUES ('A', 2020, 'drama', 'd');
                INSERT INTO reviews (movie_id, text, predicted_sentiment, probability, model_version, created_at, verified_sentiment, feedback_at)
                    VALUES (1, 'Fine', 'positive', 0.8, 'v1', 10, 'negative', 20);
                """;
            await command.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var reviews = ReviewStore.Create(null, path);
        await reviews.MigrateAsync();

        var review = (await reviews.GetReviewsChangedAsync(0, long.MaxValue)).Single();
        review.VerifiedSentiment.ShouldBeNull();
        review.AuthorSentiment.ShouldBe("negative");
        review.Text.ShouldBe("Fine");
    }
}
