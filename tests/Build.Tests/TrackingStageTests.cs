using Pipeline.Testing;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;

namespace Pipeline.Build.Tests;

public sealed class TrackingStageTests
{
    private static string Sample => Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");

    private static string Config(TempDirectory folder, double accuracyFloor = 0.6) =>
        folder.Write(
            "training.json",
            $"{{ \"model\": \"sentiment\", \"dataset\": \"{Sample}\", \"experiment\": \"sentiment-analysis\", \"registered_model\": \"sentiment-model\", "
                + $"\"params\": {{ \"seed\": 1 }}, \"gate\": {{ \"floors\": {{ \"accuracy\": {accuracyFloor.ToString(System.Globalization.CultureInfo.InvariantCulture)} }}, \"champion_margin\": 0.01 }} }}"
        );

    [Fact]
    public async Task Default_LocalStore_TracksRegistersAndExtractsWithLineage()
    {
        using var folder = new TempDirectory("tracking-stage");
        GitFixture.InitWithCommit(folder.Path);

        var result = BuildHost.For(folder.Path).Run($"--config={Config(folder)}");

        result.ExitCode.ShouldBe(0, result.Output);
        var store = new FileTrackingStore(folder.Combine("mlruns"));
        var experiment = (await store.GetExperimentByNameAsync("sentiment-analysis"))!;
        var run = (await store.SearchRunsAsync([experiment.Id], null, null, 0, null)).Runs.Single();
        run.Info.Status.ShouldBe(RunStatus.Finished);
        run.Tags["pipeline.gate"].ShouldBe("passed");
        run.Tags["mlflow.source.git.commit"].Length.ShouldBe(40);
        run.Tags["pipeline.config.hash"].Length.ShouldBe(16);
        run.Tags["pipeline.image.tag"].ShouldEndWith("-local");
        run.Params["trainer"].ShouldBe("lbfgs");
        run.Metrics.Keys.ShouldContain("auc");
        (await store.ListArtifactsAsync(run.Info, "model")).Select(a => a.Path).ShouldContain("model/MLmodel");
        (await store.ListArtifactsAsync(run.Info, "reports")).Select(a => a.Path).ShouldContain("reports/report.html");
        (await store.GetModelVersionByAliasAsync("sentiment-model", "challenger")).RunId.ShouldBe(run.Info.RunId);
        var lineage = File.ReadAllText(folder.Combine("artifacts", "model", "lineage.json"));
        lineage.ShouldContain($"\"run_id\": \"{run.Info.RunId}\"");
        lineage.ShouldContain("\"version\": \"1\"");
        lineage.ShouldContain("\"dataset_md5\": \"");
        Directory
            .GetFiles(folder.Combine("artifacts", "model"))
            .Select(Path.GetFileName)
            .Order()
            .ShouldBe(["MLmodel", "lineage.json", "model.zip", "signature.json"]);
    }

    [Fact]
    public async Task Train_BadDataset_EndsTheRunFailedNeverRunning()
    {
        using var folder = new TempDirectory("tracking-stage");
        var bad = folder.Write("bad.csv", "review,sentiment\n");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=Train", "-e", $"--config={Config(folder)}", $"--dataset={bad}");

        result.ExitCode.ShouldNotBe(0);
        var store = new FileTrackingStore(folder.Combine("mlruns"));
        var experiment = (await store.GetExperimentByNameAsync("sentiment-analysis"))!;
        var run = (await store.SearchRunsAsync([experiment.Id], null, null, 0, null)).Runs.Single();
        run.Info.Status.ShouldBe(RunStatus.Failed);
        run.Tags["pipeline.failure"].ShouldContain("has a header but no rows");
    }

    [Fact]
    public async Task Train_WorseThanChampion_FailsTheGateAndIsNotRegistered()
    {
        using var folder = new TempDirectory("tracking-stage");
        var config = Config(folder);
        BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}").ExitCode.ShouldBe(0);
        BuildHost
            .For(folder.Path)
            .Run("--target=Promote", $"--config={config}", "--model=sentiment-model/1")
            .ExitCode.ShouldBe(0);

        // A tiny training set gives a clearly worse challenger.
        var tiny = folder.Write("tiny.csv", string.Join('\n', File.ReadLines(Sample).Take(41)) + "\n");
        var result = BuildHost
            .For(folder.Path)
            .Run("--target=Train", "-e", $"--config={config}", $"--dataset={tiny}", "--param=l2=50");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("vs champion sentiment-model v1");
        var store = new FileTrackingStore(folder.Combine("mlruns"));
        (await store.SearchModelVersionsAsync("sentiment-model")).Count.ShouldBe(1);
        var experiment = (await store.GetExperimentByNameAsync("sentiment-analysis"))!;
        var runs = (
            await store.SearchRunsAsync([experiment.Id], "tags.`pipeline.gate` = 'failed'", null, 0, null)
        ).Runs;
        runs.Single().Info.Status.ShouldBe(RunStatus.Finished);
    }

    [Fact]
    public async Task Train_DatasetChanged_RescoresTheChampionOnTheNewRows()
    {
        using var folder = new TempDirectory("tracking-stage");
        var config = Config(folder);
        var first = folder.Write("first.csv", string.Join('\n', File.ReadLines(Sample).Take(1501)) + "\n");
        BuildHost
            .For(folder.Path)
            .Run("--target=Train", "-e", $"--config={config}", $"--dataset={first}")
            .ExitCode.ShouldBe(0);
        BuildHost
            .For(folder.Path)
            .Run("--target=Promote", $"--config={config}", "--model=sentiment-model/1")
            .ExitCode.ShouldBe(0);

        var result = BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("Re-scoring the champion sentiment-model v1 on this run's evaluation rows");
        result.Output.ShouldContain("vs champion sentiment-model v1");
        result.Output.ShouldContain("on the same evaluation rows");
        var store = new FileTrackingStore(folder.Combine("mlruns"));
        var experiment = (await store.GetExperimentByNameAsync("sentiment-analysis"))!;
        var runs = (await store.SearchRunsAsync([experiment.Id], null, null, 0, null)).Runs;
        var champion = runs.Single(r => !r.Metrics.ContainsKey("champion.log_loss"));
        var challenger = runs.Single(r => r.Metrics.ContainsKey("champion.log_loss"));
        challenger.Metrics["champion.log_loss"].Value.ShouldNotBe(champion.Metrics["log_loss"].Value);
        challenger.Tags["pipeline.champion"].ShouldBe("sentiment-model v1 (re-scored on this run's evaluation rows)");
    }

    [Fact]
    public void PromoteAndRollback_ThroughTheBuild_MoveTheChampion()
    {
        using var folder = new TempDirectory("tracking-stage");
        var config = Config(folder);
        BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}").ExitCode.ShouldBe(0);
        BuildHost
            .For(folder.Path)
            .Run("--target=Train", "-e", $"--config={config}", "--param=seed=2")
            .ExitCode.ShouldBe(0);

        BuildHost
            .For(folder.Path)
            .Run("--target=Promote", $"--config={config}", "--model=sentiment-model/1")
            .ExitCode.ShouldBe(0);
        var promote = BuildHost
            .For(folder.Path)
            .Run("--target=Promote", $"--config={config}", "--model=sentiment-model/2");
        var rollback = BuildHost.For(folder.Path).Run("--target=Rollback", $"--config={config}");
        var again = BuildHost.For(folder.Path).Run("--target=Rollback", $"--config={config}");

        promote.Output.ShouldContain("sentiment-model v2");
        rollback.ExitCode.ShouldBe(0, rollback.Output);
        rollback.Output.ShouldContain("champion is back at v1");
        again.ExitCode.ShouldNotBe(0);
        again.Output.ShouldContain("no previous champion");
    }

    [Fact]
    public void ExtractModel_UnknownRunOrAlias_FailsClearly()
    {
        using var folder = new TempDirectory("tracking-stage");
        var config = Config(folder);
        BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}").ExitCode.ShouldBe(0);

        var badRun = BuildHost
            .For(folder.Path)
            .Run("--target=ExtractModel", "-e", $"--config={config}", "--run-id=0123456789abcdef0123456789abcdef");
        var badAlias = BuildHost
            .For(folder.Path)
            .Run("--target=ExtractModel", "-e", $"--config={config}", "--model=sentiment-model@champion");
        var byDefault = BuildHost.For(folder.Path).Run("--target=ExtractModel", "-e", $"--config={config}");

        badRun.ExitCode.ShouldNotBe(0);
        badRun.Output.ShouldContain("Run '0123456789abcdef0123456789abcdef' not found");
        badAlias.ExitCode.ShouldNotBe(0);
        badAlias.Output.ShouldContain("Registered model alias champion not found.");
        byDefault.ExitCode.ShouldBe(0, byDefault.Output);
    }

    [Fact]
    public async Task ExtractModel_AliasNamedAsTheReadmeWritesIt_ExtractsThatVersionAndTrainsNothing()
    {
        using var folder = new TempDirectory("tracking-stage");
        var config = Config(folder);
        BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}").ExitCode.ShouldBe(0);
        var store = new FileTrackingStore(folder.Combine("mlruns"));
        var challenger = await store.GetModelVersionByAliasAsync("sentiment-model", "challenger");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=ExtractModel", $"--config={config}", "--model=sentiment-model@challenger");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldNotContain("Tracking run");
        (await store.SearchModelVersionsAsync("sentiment-model")).Count.ShouldBe(1);
        ModelExtractor.ReadLineage(folder.Combine("artifacts", "model"), "version").ShouldBe(challenger.Version);
        ModelExtractor.ReadLineage(folder.Combine("artifacts", "model"), "run_id").ShouldBe(challenger.RunId);
    }

    [Theory]
    [InlineData("--run-id=81d41dfa48604bf4b93a9e20d5d3e25f")]
    [InlineData("--model=sentiment-model@champion")]
    public void ExtractModel_PythonModelInTheRegistry_IsRefusedAndTheModelFolderKept(string selection)
    {
        using var folder = new TempDirectory("tracking-stage");
        Fixtures.CopyTree(Fixtures.Path("mlflow", "filestore", "mlruns"), folder.Combine("mlruns"));
        var kept = folder.Write("artifacts/model/model.zip", "the model we had");

        var result = BuildHost.For(folder.Path).Run("--target=ExtractModel", $"--config={Config(folder)}", selection);

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("is not a 'mlnet' model this pipeline can serve");
        result.Output.ShouldContain("the flavors python_function, sklearn");
        File.ReadAllText(kept).ShouldBe("the model we had");
        Directory.GetFiles(folder.Combine("artifacts", "model")).Length.ShouldBe(1);
    }

    [Fact]
    public void ExtractModel_BothRunIdAndModel_IsRefusedNamingBoth()
    {
        using var folder = new TempDirectory("tracking-stage");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=ExtractModel", $"--config={Config(folder)}", "--run-id=abc", "--model=sentiment-model/1");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("--run-id=abc and --model=sentiment-model/1 both name a model");
    }

    [Fact]
    public async Task Train_AgainstAServer_LogsThereAndExtractsFromIt()
    {
        await using var server = await MlflowStandInServer.StartAsync();
        using var folder = new TempDirectory("tracking-stage");
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["MLFLOW_TRACKING_URI"] = server.Url;

        var result = host.Run($"--config={Config(folder)}");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain($"in {server.Url}");
        var experiment = (await server.Backend.GetExperimentByNameAsync("sentiment-analysis"))!;
        (await server.Backend.SearchRunsAsync([experiment.Id], null, null, 0, null))
            .Runs.Single()
            .Info.Status.ShouldBe(RunStatus.Finished);
        Directory.Exists(folder.Combine("mlruns")).ShouldBeFalse();
        File.Exists(folder.Combine("artifacts", "model", "model.zip")).ShouldBeTrue();
    }

    [Fact]
    public void Train_ServerUnreachable_FailsClosedBecauseTheChampionIsUnknown()
    {
        using var folder = new TempDirectory("tracking-stage");
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["MLFLOW_TRACKING_URI"] = $"http://127.0.0.1:{LoopbackPort.Free()}";

        var result = host.Run("--target=Train", "-e", $"--config={Config(folder)}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("Quality gate failed: the champion is unknown");
        result.Output.ShouldContain("pass --allow-no-champion");
        File.ReadAllText(folder.Combine("artifacts", "summary.md")).ShouldContain("the champion is unknown");
        Directory.Exists(folder.Combine("mlruns", "models")).ShouldBeFalse();
    }

    [Fact]
    public async Task Train_ServerUnreachableAndAllowed_FallsBackToLocalAndSyncRunsUploadsLater()
    {
        using var folder = new TempDirectory("tracking-stage");
        var port = LoopbackPort.Free();
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["MLFLOW_TRACKING_URI"] = $"http://127.0.0.1:{port}";

        var result = host.Run("--target=Train", "-e", $"--config={Config(folder)}", "--allow-no-champion");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("is unreachable");
        result.Output.ShouldContain("training without the comparison, as allowed");
        result.Output.ShouldContain("--target=SyncRuns");
        await using var server = await MlflowStandInServer.StartAsync(port);
        var sync = BuildHost.For(folder.Path);
        sync.Environment.Variables["MLFLOW_TRACKING_URI"] = server.Url;
        var synced = sync.Run("--target=SyncRuns", $"--config={Config(folder)}");
        synced.ExitCode.ShouldBe(0, synced.Output);
        synced.Output.ShouldContain("SyncRuns: 1 run(s) uploaded.");
        var experiment = (await server.Backend.GetExperimentByNameAsync("sentiment-analysis"))!;
        (await server.Backend.SearchRunsAsync([experiment.Id], null, null, 0, null))
            .Runs.Single()
            .Tags["pipeline.gate"]
            .ShouldBe("passed");
    }
}
