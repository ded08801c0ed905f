using Pipeline.Testing;
using Pipeline.Training;

namespace Playlist.Model.Tests;

public sealed class PlaylistTrainerTests
{
    private static string BundledSample => Path.Combine(Fixtures.RepositoryRoot, "data", "playlists", "playlists.csv");

    private static TrainingConfig Config(TempDirectory temp, string extra = "") =>
        TrainingConfig.Load(
            temp.Write(
                "playlist.json",
                "{ \"model\": \"playlist\", \"experiment\": \"p\", \"registered_model\": \"p\", \"params\": { \"seed\": 1"
                    + extra
                    + " }, \"gate\": { \"floors\": { \"hit_rate_at_10\": 0.2 } } }"
            ),
            []
        );

    [Fact]
    public void BundledSample_IsWhatTheGeneratorWrites()
    {
        var generated = new StringWriter();
        PlaylistSample.Write(generated, 1200);
        if (Environment.GetEnvironmentVariable("PIPELINE_UPDATE_SAMPLE") == "1")
        {
            File.WriteAllText(BundledSample, generated.ToString());
        }

        File.ReadAllText(BundledSample).ShouldBe(generated.ToString());
    }

    [Fact]
    public void Train_BundledSample_LearnsRulesThatFindHeldOutTracks()
    {
        using var temp = new TempDirectory("playlist");
        var trainer = new PlaylistTrainer();
        var request = new TrainingRequest(BundledSample, temp.Combine("out"), Config(temp), false, _ => { });

        var result = trainer.Train(request);
        var champion = trainer.Evaluate(result.ModelDirectory, request);

        result.Metrics["hit_rate_at_10"].ShouldBeGreaterThan(0.2);
        result.Metrics["coverage"].ShouldBeGreaterThan(0.1);
        result.Metrics["rules"].ShouldBeGreaterThan(100);
        champion["hit_rate_at_10"].ShouldBe(result.Metrics["hit_rate_at_10"]);
        File.Exists(Path.Combine(result.ModelDirectory, RuleSet.FileName)).ShouldBeTrue();
        File.Exists(Path.Combine(result.ReportDirectory, "report.html")).ShouldBeTrue();
    }

    [Fact]
    public void Train_BadHeader_FailsNamingFileAndLine()
    {
        using var temp = new TempDirectory("playlist");
        var data = temp.Write("bad.csv", "id,song\n1,x\n");

        var error = Should.Throw<TrainingDataException>(() =>
            new PlaylistTrainer().Train(new TrainingRequest(data, temp.Combine("out"), Config(temp), false, _ => { }))
        );

        error.Message.ShouldContain($"{data}:1:");
        error.Message.ShouldContain("playlist_id,track,artist");
        Directory.Exists(temp.Combine("out")).ShouldBeFalse();
    }

    [Fact]
    public void Train_UnknownParam_FailsNamingIt()
    {
        using var temp = new TempDirectory("playlist");

        Should
            .Throw<TrainingDataException>(() =>
                new PlaylistTrainer().Train(
                    new TrainingRequest(
                        BundledSample,
                        temp.Combine("out"),
                        Config(temp, ", \"min_suport\": 0.1"),
                        false,
                        _ => { }
                    )
                )
            )
            .Message.ShouldContain("min_suport");
    }
}
