using Pipeline.Testing;
using Sentiment.Reviews;

namespace Pipeline.Build.Tests;

public sealed class DatasetStageTests
{
    [Fact]
    public async Task CollectCreatePublish_ThroughTheBuild_ProduceAMonthlyDvcVersion()
    {
        using var folder = new TempDirectory("dataset-stage");
        var reviews = ReviewStore.Create(null, folder.Combine("reviews.db"));
        await reviews.MigrateAsync();
        await reviews.SeedAsync(Path.Combine(AppContext.BaseDirectory, "movies.json"));
        for (var i = 0; i < 6; i++)
        {
            var review = await reviews.AddReviewAsync(
                1 + (i % 3),
                $"Review number {i}",
                i % 2 == 0 ? "positive" : "negative",
                0.5,
                "v1"
            );
            await reviews.SetVerifiedAsync(review.Id, i % 2 == 0 ? "positive" : "negative", "test-moderator");
        }

        var store = folder.Combine("store");
        var now = DateTime.UtcNow;
        var collect = BuildHost
            .For(folder.Path)
            .Run("--target=CollectDaily", $"--storage={store}", $"--sqlite={folder.Combine("reviews.db")}");
        var monthly = BuildHost
            .For(folder.Path)
            .Run("--target=CreateMonthly", $"--storage={store}", $"--year={now.Year}", $"--month={now.Month}");
        var publish = BuildHost
            .For(folder.Path)
            .Run(
                "--target=PublishDataset",
                $"--storage={store}",
                $"--year={now.Year}",
                $"--month={now.Month}",
                "--kind=verified",
                "--path=data/train.csv"
            );

        collect.ExitCode.ShouldBe(0, collect.Output);
        collect.Output.ShouldContain("CollectDaily: 6 row(s)");
        monthly.ExitCode.ShouldBe(0, monthly.Output);
        monthly.Output.ShouldContain("verified 6 rows");
        publish.ExitCode.ShouldBe(0, publish.Output);
        File.ReadAllText(folder.Combine("data", "train.csv.dvc")).ShouldContain("path: train.csv");
    }

    [Fact]
    public void CreateMonthly_QualityFailure_ExitsNonZeroWithTheReasons()
    {
        using var folder = new TempDirectory("dataset-stage");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=CreateMonthly", $"--storage={folder.Combine("empty-store")}", "--year=2026", "--month=9");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("no rows (no gold data and no candidates this month)");
    }
}
