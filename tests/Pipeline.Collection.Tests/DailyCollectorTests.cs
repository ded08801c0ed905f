using Pipeline.Collection.Daily;
using Pipeline.Collection.Storage;
using Pipeline.Testing;

namespace Pipeline.Collection.Tests;

public sealed class DailyCollectorTests
{
    [SkippableTheory]
    [MemberData(nameof(Stores.Kinds), MemberType = typeof(Stores))]
    public async Task Collect_RunTwice_NeverCollectsARowTwice(string kind)
    {
        using var temp = new TempDirectory("daily");
        var store = await Stores.CreateAsync(kind, temp);
        var source = new ListSource();
        source.Add(1, "Great film", "positive", null, "2026-11-20T09:00:00Z");
        source.Add(2, "Awful film", "negative", "negative", "2026-11-20T10:00:00Z");

        var first = await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-20T23:00:00Z"));
        var again = await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-20T23:30:00Z"));

        first.Rows.ShouldBe(2);
        again.Rows.ShouldBe(0);
        var rows = DatasetFiles.ReadCsv(
            (await store.ReadAsync(DatasetKeys.Candidate(new DateOnly(2026, 11, 20), "reviews.csv")))!,
            "test"
        );
        rows.Count.ShouldBe(2);
    }

    [SkippableTheory]
    [MemberData(nameof(Stores.Kinds), MemberType = typeof(Stores))]
    public async Task Collect_AfterMissedDays_CatchesUpIntoEachDaysFolderAndFlagsEmptyDays(string kind)
    {
        using var temp = new TempDirectory("daily");
        var store = await Stores.CreateAsync(kind, temp);
        var source = new ListSource();
        source.Add(1, "Day one review", "positive", null, "2026-11-20T09:00:00Z");
        await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-20T23:59:00Z"));
        source.Add(2, "Written on the 21st", "negative", null, "2026-11-21T08:00:00Z");
        source.Add(3, "Written on the 23rd", "positive", "positive", "2026-11-23T00:30:00Z");
        source.Add(1, "Day one review", "positive", "negative", "2026-11-23T01:00:00Z"); // feedback given later

        var result = await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-23T02:00:00Z"));

        result
            .Days.Select(d => d.ToString("yyyy-MM-dd"))
            .ShouldBe(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
        var empty = await Stores.JsonAsync(store, DatasetKeys.Candidate(new DateOnly(2026, 11, 22), "manifest.json"));
        empty.GetProperty("rows").GetInt32().ShouldBe(0);
        empty.GetProperty("flags")[0].GetString().ShouldBe("no rows collected for this day");
        var day23 = await Stores.JsonAsync(store, DatasetKeys.Candidate(new DateOnly(2026, 11, 23), "manifest.json"));
        day23.GetProperty("rows").GetInt32().ShouldBe(2);
        day23.GetProperty("verified").GetInt32().ShouldBe(2);
        day23.GetProperty("labels").GetProperty("negative").GetInt32().ShouldBe(1);
        day23.GetProperty("model_versions").GetProperty("v1").GetInt32().ShouldBe(2);
        day23.GetProperty("source_range").GetProperty("to_ms").GetInt64().ShouldBe(Stores.At("2026-11-23T01:00:00Z"));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores.Kinds), MemberType = typeof(Stores))]
    public async Task Manifest_Hashes_MatchTheFiles(string kind)
    {
        using var temp = new TempDirectory("daily");
        var store = await Stores.CreateAsync(kind, temp);
        var source = new ListSource();
        source.Add(1, "A \"quoted\", comma review<br />", "positive", null, "2026-11-20T09:00:00Z");

        await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-20T12:00:00Z"));

        var day = new DateOnly(2026, 11, 20);
        var manifest = await Stores.JsonAsync(store, DatasetKeys.Candidate(day, "manifest.json"));
        manifest
            .GetProperty("files")
            .GetProperty("reviews.csv")
            .GetString()
            .ShouldBe(DatasetFiles.Sha256((await store.ReadAsync(DatasetKeys.Candidate(day, "reviews.csv")))!));
    }

    [Fact]
    public async Task Collect_DayBoundary_IsUtc()
    {
        using var temp = new TempDirectory("daily");
        var store = new LocalObjectStorage(temp.Path);
        var source = new ListSource();
        source.Add(1, "Late evening in New York", "positive", null, "2026-11-20T23:59:59-05:00"); // 04:59:59 UTC on the 21st

        await DailyCollector.CollectAsync(store, source, DateTimeOffset.Parse("2026-11-21T12:00:00Z"));

        (await store.ReadAsync(DatasetKeys.Candidate(new DateOnly(2026, 11, 21), "reviews.csv"))).ShouldNotBeNull();
        (await store.ReadAsync(DatasetKeys.Candidate(new DateOnly(2026, 11, 20), "reviews.csv"))).ShouldBeNull();
    }
}
