using Pipeline.Collection.Daily;
using Pipeline.Collection.Monthly;
using Pipeline.Collection.Storage;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.Collection.Tests;

public sealed class MonthlyBuilderTests
{
    private static async Task<IObjectStorage> Seeded(string kind, TempDirectory temp, ListSource source)
    {
        var store = await Stores.CreateAsync(kind, temp);
        await store.WriteAsync(
            DatasetKeys.Gold + "base.csv",
            DatasetFiles.WriteCsv(
                ["review", "sentiment"],
                [
                    ["A gold classic, wonderful", "positive"],
                    ["A gold stinker, dreadful", "negative"],
                    ["Gold: lovely score", "positive"],
                    ["Gold: dull plot", "negative"],
                ]
            )
        );
        await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-30T23:59:59.999Z"));
        return store;
    }

    [SkippableTheory]
    [MemberData(nameof(Stores.Kinds), MemberType = typeof(Stores))]
    public async Task Create_Month_WritesVerifiedAndFullDedupedWithManifests(string kind)
    {
        using var temp = new TempDirectory("monthly");
        var source = new ListSource();
        source.Add(1, "Loved it", "positive", "positive", "2026-11-02T10:00:00Z");
        source.Add(2, "Hated it", "positive", "negative", "2026-11-03T10:00:00Z");
        source.Add(3, "Unverified but fine", "positive", null, "2026-11-04T10:00:00Z");
        source.Add(4, "LOVED   it<br />", "positive", null, "2026-11-05T10:00:00Z"); // duplicate of 1 after normalization
        source.Add(5, "Boring", "negative", null, "2026-11-06T10:00:00Z");
        var store = await Seeded(kind, temp, source);

        var result = await MonthlyBuilder.CreateAsync(
            store,
            2026,
            11,
            new QualityOptions(MinClassShare: 0.2, MaxDuplicateShare: 0.5)
        );

        result.Verified.Rows.ShouldBe(6); // 4 gold + 2 verified
        result.Full.Rows.ShouldBe(8); // 4 gold + 5 candidates - 1 duplicate
        result.Full.DuplicatesRemoved.ShouldBe(1);
        var verifiedCsv = DatasetFiles.ReadCsv(
            (await store.ReadAsync(DatasetKeys.Monthly("verified", 2026, 11, "reviews.csv")))!,
            "test"
        );
        verifiedCsv.ShouldContain(r => r[0] == "Hated it" && r[1] == "negative"); // the user's correction wins
        foreach (var flavor in new[] { "verified", "full" })
        {
            var manifest = await Stores.JsonAsync(store, DatasetKeys.Monthly(flavor, 2026, 11, "manifest.json"));
            foreach (var file in manifest.GetProperty("files").EnumerateObject())
            {
                DatasetFiles
                    .Sha256((await store.ReadAsync(DatasetKeys.Monthly(flavor, 2026, 11, file.Name)))!)
                    .ShouldBe(file.Value.GetString());
            }

            System
                .Text.Encoding.UTF8.GetString(
                    (await store.ReadAsync(DatasetKeys.Monthly(flavor, 2026, 11, "dataset_info.md")))!
                )
                .ShouldContain("class balance");
        }

        result.Flags.ShouldContain(f => f.StartsWith("days never collected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_MonthBoundary_UsesOnlyThatUtcMonthsDays()
    {
        using var temp = new TempDirectory("monthly");
        var source = new ListSource();
        source.Add(1, "October's last minute", "positive", "positive", "2026-10-31T23:59:59Z");
        source.Add(2, "November's first second", "negative", "negative", "2026-11-01T00:00:00Z");
        var store = await Seeded("local", temp, source);

        var october = await MonthlyBuilder.CreateAsync(store, 2026, 10, new QualityOptions());
        var november = await MonthlyBuilder.CreateAsync(store, 2026, 11, new QualityOptions());

        october.Verified.Rows.ShouldBe(5);
        november.Verified.Rows.ShouldBe(5);
        DatasetFiles
            .ReadCsv((await store.ReadAsync(DatasetKeys.Monthly("verified", 2026, 10, "reviews.csv")))!, "t")
            .ShouldContain(r => r[0] == "October's last minute");
        DatasetFiles
            .ReadCsv((await store.ReadAsync(DatasetKeys.Monthly("verified", 2026, 11, "reviews.csv")))!, "t")
            .ShouldNotContain(r => r[0] == "October's last minute");
        MonthlyBuilder.PreviousMonth(DateTimeOffset.Parse("2026-01-01T00:30:00Z")).ShouldBe((2025, 12));
        MonthlyBuilder.PreviousMonth(DateTimeOffset.Parse("2026-01-01T00:30:00+02:00")).ShouldBe((2025, 11)); // still 31 December in UTC
    }

    [Fact]
    public async Task Create_EmptyMonthWithGold_IsGoldOnlyAndFlagged()
    {
        using var temp = new TempDirectory("monthly");
        var store = await Seeded("local", temp, new ListSource());

        var result = await MonthlyBuilder.CreateAsync(store, 2026, 9, new QualityOptions());

        result.Full.Rows.ShouldBe(4);
        result.Flags.ShouldContain("days never collected: 30 of 30");
    }

    [Fact]
    public async Task Create_EmptyMonthWithoutGold_FailsAndWritesNothing()
    {
        using var temp = new TempDirectory("monthly");
        var store = new LocalObjectStorage(temp.Path);

        var error = await Should.ThrowAsync<DataQualityException>(() =>
            MonthlyBuilder.CreateAsync(store, 2026, 9, new QualityOptions())
        );

        error.Failures.ShouldContain("full: no rows (no gold data and no candidates this month)");
        (await store.ListAsync("datasets/full/")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("bad-label", "label(s) outside positive/negative")]
    [InlineData("imbalance", "class imbalance")]
    [InlineData("duplicates", "are duplicates")]
    [InlineData("empty", "empty text(s)")]
    public async Task Create_QualityCheckFails_WritesNothing(string problem, string message)
    {
        using var temp = new TempDirectory("monthly");
        var store = new LocalObjectStorage(temp.Path);
        string[][] gold = problem switch
        {
            "bad-label" =>
            [
                ["fine", "positive"],
                ["bad", "negative"],
                ["meh", "neutral"],
            ],
            "imbalance" =>
            [
                .. Enumerable.Range(0, 20).Select(i => new[] { $"good {i}", "positive" }),
                ["bad", "negative"],
            ],
            "duplicates" =>
            [
                ["same", "positive"],
                ["Same ", "positive"],
                ["SAME", "positive"],
                ["other", "negative"],
            ],
            _ =>
            [
                ["", "positive"],
                ["bad", "negative"],
                ["good", "positive"],
            ],
        };
        await store.WriteAsync(DatasetKeys.Gold + "base.csv", DatasetFiles.WriteCsv(["review", "sentiment"], gold));

        var error = await Should.ThrowAsync<DataQualityException>(() =>
            MonthlyBuilder.CreateAsync(store, 2026, 11, new QualityOptions())
        );

        error.Message.ShouldContain(message);
        (await store.ListAsync("datasets/verified/")).ShouldBeEmpty();
        (await store.ListAsync("datasets/full/")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Publish_MonthlyFull_BecomesADvcTrackedVersion()
    {
        using var temp = new TempDirectory("monthly");
        var source = new ListSource();
        source.Add(1, "Loved it", "positive", "positive", "2026-11-02T10:00:00Z");
        var store = await Seeded("local", temp, source);
        await MonthlyBuilder.CreateAsync(store, 2026, 11, new QualityOptions());
        var repository = DvcRepository.Init(temp.Combine("repo"));

        var added = await DatasetPublisher.PublishAsync(store, "full", 2026, 11, repository, "data/train.csv");

        File.ReadAllText(temp.Combine("repo", "data", "train.csv.dvc")).ShouldContain($"md5: {added.Id.Md5}");
        File.ReadAllText(temp.Combine("repo", "data", "train.csv")).ShouldStartWith("review,sentiment\n");
        await Should.ThrowAsync<InvalidOperationException>(() =>
            DatasetPublisher.PublishAsync(store, "full", 2026, 8, repository, "data/train.csv")
        );
    }
}
