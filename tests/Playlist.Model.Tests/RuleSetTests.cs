using Pipeline.Testing;

namespace Playlist.Model.Tests;

public sealed class RuleSetTests
{
    private static RuleSet Model()
    {
        string[] tracks = ["A — x", "B — x", "C — y", "D — y", "E — z"];
        int[][] playlists =
        [
            [0, 1, 2],
            [0, 1],
            [0, 1, 3],
            [2, 3],
            [2, 3, 4],
            [0, 1, 2],
        ];
        var rules = AssociationRules.From(FpGrowth.Mine(playlists, 2, 3), playlists.Length, 0.1);
        return RuleSet.Create(tracks, playlists, rules);
    }

    [Fact]
    public void Recommend_ASeed_ListsWhatGoesWithItBestFirstAndNeverTheSeed()
    {
        var list = Model().Recommend(["a — X"], 3);

        list[0].Track.ShouldBe("B — x");
        list[0].Confidence.ShouldBe(1.0);
        list.ShouldNotContain(r => r.Track == "A — x");
        list.Count.ShouldBe(3);
    }

    [Fact]
    public void Recommend_UnknownSeeds_FallsBackToThePopularTracks()
    {
        var list = Model().Recommend(["Nobody — knows"], 2);

        list.Select(r => r.Track).ShouldBe(["A — x", "B — x"]);
        list.ShouldAllBe(r => r.Lift == 0);
    }

    [Fact]
    public void SaveThenLoad_SameModel_RecommendsTheSame()
    {
        using var temp = new TempDirectory("rules");
        var model = Model();

        model.Save(temp.Path);
        var loaded = RuleSet.Load(temp.Path);

        loaded.Rules.Count.ShouldBe(model.Rules.Count);
        loaded.Recommend(["C — y", "D — y"], 4).ShouldBe(model.Recommend(["C — y", "D — y"], 4));
    }

    [Fact]
    public void Load_NotAModel_FailsNamingTheFile()
    {
        using var temp = new TempDirectory("rules");
        temp.Write(RuleSet.FileName, "{\"format\": 1, \"tracks\": [\"A\"]}");

        Should.Throw<InvalidDataException>(() => RuleSet.Load(temp.Path)).Message.ShouldContain(RuleSet.FileName);
    }
}
