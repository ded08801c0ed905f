using Pipeline.Testing;

namespace Pipeline.Build.Tests;

public sealed class TrainStageTests
{
    private static string Sample => Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");

    private static string Config(TempDirectory folder, double accuracyFloor) =>
        folder.Write(
            "training.json",
            $"{{ \"model\": \"sentiment\", \"dataset\": \"{Sample}\", \"params\": {{ \"seed\": 1 }}, \"gate\": {{ \"floors\": {{ \"accuracy\": {accuracyFloor.ToString(System.Globalization.CultureInfo.InvariantCulture)}, \"auc\": 0.5 }} }} }}"
        );

    [Fact]
    public void Train_ModelBelowTheFloor_FailsTheBuildWithTheNumbers()
    {
        using var folder = new TempDirectory("train-stage");
        var config = Config(folder, 1.01);

        var result = BuildHost.For(folder.Path).Run("--target=Train", "--exclusive", $"--config={config}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldMatch(@"Error: Quality gate failed: accuracy \d\.\d{4} < floor 1\.0100");
    }

    [Fact]
    public void Train_ModelThatNeverSawNegation_FailsTheBuildWithEachCapabilitysRate()
    {
        using var folder = new TempDirectory("train-behaviour");
        // Plain praise and pans only: the model learns "good" and "boring", never what "not" does to them.
        string[] praise = ["good", "great", "wonderful", "enjoyable", "funny", "moving", "clever", "exciting"];
        string[] pans = ["bad", "boring", "awful", "dull", "predictable", "silly", "tedious", "disappointing"];
        var rows = Enumerable
            .Range(0, 400)
            .Select(i =>
                i % 2 == 0
                    ? $"The film is {praise[i / 2 % praise.Length]} and the cast is {praise[(i / 16) % praise.Length]}.,positive"
                    : $"The film is {pans[i / 2 % pans.Length]} and the cast is {pans[(i / 16) % pans.Length]}.,negative"
            );
        var dataset = folder.Write("plain.csv", "review,sentiment\n" + string.Join('\n', rows) + "\n");
        var suite = Path.Combine(Fixtures.RepositoryRoot, "config", "behaviour", "sentiment.json");
        var config = folder.Write(
            "training.json",
            $$"""{ "model": "sentiment", "dataset": "{{dataset}}", "behaviour": "{{suite}}", "params": { "seed": 1 }, "gate": { "floors": { "accuracy": 0.5, "behaviour.negation": 0.7 } } }"""
        );

        var result = BuildHost.For(folder.Path).Run("--target=Train", "--exclusive", $"--config={config}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldMatch(@"Error: Quality gate failed: behaviour\.negation 0\.[0-6]\d{3} < floor 0\.7000");
        var summary = File.ReadAllText(folder.Combine("artifacts", "summary.md"));
        summary.ShouldContain("### Behaviour");
        summary.ShouldMatch(@"\| negation \| \d+/20 \| 0\.\d{4} \| 0\.7000 \| \*\*below floor\*\* \|");
        summary.ShouldMatch(@"\| plain \| \d+/24 \| ");
    }

    [Fact]
    public void Train_ShippedConfigOnTheBundledSample_PassesEveryBehaviourFloor()
    {
        using var folder = new TempDirectory("train-shipped");
        var config = Path.Combine(Fixtures.RepositoryRoot, "config", "training.json");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=Train", "--exclusive", $"--config={config}", $"--dataset={Sample}");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("Quality gate passed");
        foreach (
            var capability in new[]
            {
                "plain",
                "negation",
                "contrast",
                "intensity",
                "style",
                "invariance",
                "directional",
            }
        )
        {
            result.Output.ShouldContain($"behaviour.{capability} ");
        }
    }

    [Fact]
    public void Train_OnJenkins_SummaryLinksTheArchivedReport()
    {
        using var folder = new TempDirectory("train-jenkins");
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["JENKINS_URL"] = "https://jenkins.example.com/";
        host.Environment.Variables["BUILD_URL"] = "https://jenkins.example.com/job/pipeline/42/";
        host.Environment.Variables["BUILD_NUMBER"] = "42";

        var result = host.Run("--target=Train", "--exclusive", $"--config={Config(folder, 0.6)}", "--smoke");

        result.ExitCode.ShouldBe(0, result.Output);
        File.ReadAllText(folder.Combine("artifacts", "summary.md"))
            .ShouldContain(
                "Report: [model report](https://jenkins.example.com/job/pipeline/42/artifact/artifacts/training/reports/report.html)"
            );
    }

    [Fact]
    public async Task Train_GoodModel_PassesAndSummarisesMetricsAndReport()
    {
        using var folder = new TempDirectory("train-stage");

        var result = BuildHost
            .For(folder.Path)
            .Run(
                "--target=Train",
                "--exclusive",
                $"--config={Config(folder, 0.6)}",
                "--param",
                "trainer=averaged_perceptron"
            );

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("Quality gate passed");
        result.Output.ShouldContain($"Report: {folder.Combine("artifacts", "training", "reports", "report.html")}");
        var summary = File.ReadAllText(folder.Combine("artifacts", "summary.md"));
        summary.ShouldContain("### Training metrics");
        var store = new Pipeline.Tracking.FileStore.FileTrackingStore(folder.Combine("mlruns"));
        var experiment = store.Experiments().Single(e => e.Name != "Default");
        var run = (await store.SearchRunsAsync([experiment.Id], null, null, 0, null)).Runs.Single();
        (await store.GetMetricHistoryAsync(run.Info.RunId, "epoch_accuracy"))
            .Select(m => m.Step)
            .ShouldBe([1L, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        summary.ShouldMatch(@"\| accuracy \| \d\.\d{4} \|");
    }

    [Fact]
    public void Train_OtherDatasetWithSmoke_TrainsOnItsFirstRows()
    {
        using var folder = new TempDirectory("train-stage");
        var lines = File.ReadAllLines(Sample);
        var dataset = folder.Write("mine.csv", string.Join('\n', lines.Take(401)) + "\n");

        var result = BuildHost
            .For(folder.Path)
            .Run(
                "--target=Train",
                "-e",
                $"--config={Config(folder, 0.5)}",
                "--dataset=mine.csv",
                "--smoke",
                "--param=smoke_rows=200"
            );

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain($"Loaded 200 reviews from {dataset}");
    }

    [Fact]
    public void Train_BadDataset_FailsNamingFileAndLineAndWritesNoModel()
    {
        using var folder = new TempDirectory("train-stage");
        var dataset = folder.Write("bad.csv", "review,label\nx,positive\n");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=Train", "-e", $"--config={Config(folder, 0.5)}", $"--dataset={dataset}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain($"Error: {dataset}:1: missing column(s) 'sentiment'");
        Directory.Exists(folder.Combine("artifacts", "training")).ShouldBeFalse();
    }

    [Fact]
    public void Train_UnknownModel_ListsTheKnownTrainers()
    {
        using var folder = new TempDirectory("train-stage");
        var config = folder.Write("training.json", "{ \"model\": \"playlists\" }");

        var result = BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("model 'playlists' has no trainer; known: sentiment, playlist.");
    }
}
