using Pipeline.Testing;
using Pipeline.Tracking.FileStore;

namespace Pipeline.Tracking.Tests;

/// <summary>Our FileStore against the mlruns/ tree the real MLflow 2.12 client wrote.</summary>
public sealed class FileStoreTests
{
    private const string Experiment = "129337005089504367";
    private const string Run1 = "82c505d34f38406fb2d98c2a6ae41ac5";
    private const string Run2 = "81d41dfa48604bf4b93a9e20d5d3e25f";
    private const string Run3 = "9a43be6239604b6f8f69166547308f54";

    private static FileTrackingStore Fixture(TempDirectory temp)
    {
        Fixtures.CopyTree(Fixtures.Path("mlflow", "filestore", "mlruns"), temp.Combine("mlruns"));
        return new FileTrackingStore(temp.Combine("mlruns"));
    }

    [Fact]
    public async Task Read_FixtureRuns_GivesStatusLifecycleParamsTagsAndLatestMetrics()
    {
        using var temp = new TempDirectory("filestore");
        var store = Fixture(temp);

        var deleted = await store.GetRunAsync(Run1);
        var best = await store.GetRunAsync(Run2);
        var failed = await store.GetRunAsync(Run3);

        deleted.Info.Status.ShouldBe(RunStatus.Finished);
        deleted.Info.LifecycleStage.ShouldBe("deleted");
        best.Info.RunName.ShouldBe("train-002");
        best.Params["C"].ShouldBe("0.5");
        best.Tags["data.train.md5"].ShouldBe("723ad71547f5f8f35a97a9502e8d3a9b");
        best.Tags["mlflow.user"].ShouldBe("root");
        best.Metrics["loss"].Value.ShouldBe(0.3011);
        best.Metrics["loss"].Step.ShouldBe(3);
        best.Metrics["accuracy"].Value.ShouldBe(0.8904);
        failed.Info.Status.ShouldBe(RunStatus.Failed);
        failed.Tags["failure.reason"].ShouldBe("loss diverged");
        (await store.GetMetricHistoryAsync(Run1, "loss"))
            .Select(m => m.Value)
            .ShouldBe([0.6931, 0.5012, 0.4127, 0.3904]);
    }

    [Fact]
    public async Task Read_FixtureExperiment_FindsItByNameWithTags()
    {
        using var temp = new TempDirectory("filestore");

        var experiment = await Fixture(temp).GetExperimentByNameAsync("sentiment-analysis");

        experiment!.Id.ShouldBe(Experiment);
        experiment.Tags["project"].ShouldBe("mlops-pipeline");
    }

    [Fact]
    public async Task Search_BestFinishedActiveRunByAccuracy_IsTrain002LikeMlflow()
    {
        using var temp = new TempDirectory("filestore");
        var store = Fixture(temp);

        var page = await store.SearchRunsAsync(
            [Experiment],
            "attributes.status = 'FINISHED'",
            ["metrics.accuracy DESC"],
            1,
            null
        );
        var active = await store.SearchRunsAsync([Experiment], null, null, 0, null);

        page.Runs.Single().Info.RunName.ShouldBe("train-002");
        page.NextPageToken.ShouldBe("eyJvZmZzZXQiOiAxfQ==");
        active.Runs.Select(r => r.Info.RunName).ShouldBe(["train-003", "train-002"]);
    }

    [Fact]
    public async Task Read_FixtureArtifacts_ListsAndDownloadsThem()
    {
        using var temp = new TempDirectory("filestore");
        var store = Fixture(temp);
        var run = (await store.GetRunAsync(Run2)).Info;

        var root = await store.ListArtifactsAsync(run, null);
        await store.DownloadArtifactAsync(run, "reports/metrics.json", temp.Combine("metrics.json"));

        root.Select(a => (a.Path, a.IsDirectory)).ShouldBe([("model", true), ("reports", true)]);
        (await store.ListArtifactsAsync(run, "model")).Select(a => a.Path).ShouldContain("model/MLmodel");
        File.ReadAllText(temp.Combine("metrics.json")).ShouldContain("\"accuracy\"");
    }

    [Fact]
    public async Task Read_FixtureRegistry_ResolvesTheChampionAlias()
    {
        using var temp = new TempDirectory("filestore");
        var store = Fixture(temp);

        var champion = await store.GetModelVersionByAliasAsync("sentiment-model", "champion");
        var model = await store.GetRegisteredModelAsync("sentiment-model");
        var versions = await store.SearchModelVersionsAsync("sentiment-model");

        champion.Version.ShouldBe("2");
        champion.RunId.ShouldBe(Run2);
        champion.Aliases.ShouldBe(["champion"]);
        model!.Aliases.ShouldBe(new Dictionary<string, string> { ["champion"] = "2" });
        versions.Select(v => v.Version).ShouldBe(["2", "1"]);
        (
            await Should.ThrowAsync<TrackingException>(() =>
                store.GetModelVersionByAliasAsync("sentiment-model", "staging")
            )
        ).Message.ShouldContain("Registered model alias staging not found.");
    }

    [Fact]
    public async Task Write_NewRunAndRegistry_HaveTheFixturesFilesKeysAndFormats()
    {
        using var temp = new TempDirectory("filestore");
        var fixture = Fixture(temp);
        var store = new FileTrackingStore(temp.Combine("ours"));

        var experimentId = await store.CreateExperimentAsync(
            "sentiment-analysis",
            new Dictionary<string, string> { ["project"] = "mlops-pipeline" }
        );
        var run = await store.CreateRunAsync(
            experimentId,
            "train-001",
            1795393357104,
            new Dictionary<string, string> { ["mlflow.user"] = "root" }
        );
        await store.LogBatchAsync(
            run.RunId,
            new RunBatch(
                [
                    new Metric("loss", 0.6931, 1795393357112, 0),
                    new Metric("loss", 0.5012, 1795393357122, 1),
                    new Metric("accuracy", 0.85, 1795393357156, 0),
                    new Metric("f1", 1.0, 1795393357156, 0),
                ],
                new Dictionary<string, string> { ["C"] = "1.0" },
                new Dictionary<string, string> { ["data.train.md5"] = "723ad71547f5f8f35a97a9502e8d3a9b" }
            )
        );
        await store.UpdateRunAsync(run.RunId, RunStatus.Finished, 1795393359702);
        await store.CreateRegisteredModelAsync("sentiment-model", null);
        var version = await store.CreateModelVersionAsync("sentiment-model", run.ArtifactUri + "/model", run.RunId);
        await store.SetAliasAsync("sentiment-model", "champion", version.Version);

        var ours = temp.Combine("ours");
        var theirs = temp.Combine("mlruns");
        experimentId.Length.ShouldBe(18);
        Keys(Path.Combine(ours, "0", "meta.yaml")).ShouldBe(Keys(Path.Combine(theirs, "0", "meta.yaml")));
        Keys(Path.Combine(ours, experimentId, "meta.yaml"))
            .ShouldBe(Keys(Path.Combine(theirs, Experiment, "meta.yaml")));
        File.ReadAllText(Path.Combine(ours, experimentId, "meta.yaml"))
            .ShouldContain($"experiment_id: '{experimentId}'\n");
        var runMeta = File.ReadAllText(Path.Combine(ours, experimentId, run.RunId, "meta.yaml"));
        Keys(Path.Combine(ours, experimentId, run.RunId, "meta.yaml"))
            .ShouldBe(Keys(Path.Combine(theirs, Experiment, Run2, "meta.yaml")));
        runMeta.ShouldContain("status: 3\n");
        runMeta.ShouldContain("source_type: 4\n");
        runMeta.ShouldContain("entry_point_name: ''\n");
        runMeta.ShouldContain("tags: []\n");
        File.ReadAllText(Path.Combine(ours, experimentId, run.RunId, "metrics", "loss"))
            .ShouldBe("1795393357112 0.6931 0\n1795393357122 0.5012 1\n");
        File.ReadAllText(Path.Combine(ours, experimentId, run.RunId, "metrics", "f1"))
            .ShouldBe("1795393357156 1.0 0\n");
        File.ReadAllText(Path.Combine(ours, experimentId, run.RunId, "params", "C")).ShouldBe("1.0");
        File.ReadAllText(Path.Combine(ours, experimentId, run.RunId, "tags", "mlflow.runName")).ShouldBe("train-001");
        Keys(Path.Combine(ours, "models", "sentiment-model", "meta.yaml"))
            .ShouldBe(Keys(Path.Combine(theirs, "models", "sentiment-model", "meta.yaml")));
        File.ReadAllText(Path.Combine(ours, "models", "sentiment-model", "meta.yaml"))
            .ShouldContain("aliases:\n  champion: '1'\n");
        Keys(Path.Combine(ours, "models", "sentiment-model", "version-1", "meta.yaml"))
            .ShouldBe(Keys(Path.Combine(theirs, "models", "sentiment-model", "version-1", "meta.yaml")));
        File.ReadAllText(Path.Combine(ours, "models", "sentiment-model", "version-1", "meta.yaml"))
            .ShouldContain("version: 1\n");
        File.ReadAllText(Path.Combine(ours, "models", "sentiment-model", "aliases", "champion")).ShouldBe("1");
        fixture.Experiments().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Write_SameParamAgain_IsAllowedButAChangeIsRefusedLikeMlflow()
    {
        using var temp = new TempDirectory("filestore");
        var store = new FileTrackingStore(temp.Path);
        var id = await store.CreateExperimentAsync("e");
        var run = await store.CreateRunAsync(id, "r", 1, new Dictionary<string, string>());
        var batch = new RunBatch(
            [],
            new Dictionary<string, string> { ["trainer"] = "lbfgs" },
            new Dictionary<string, string>()
        );

        await store.LogBatchAsync(run.RunId, batch);
        await store.LogBatchAsync(run.RunId, batch);
        var error = await Should.ThrowAsync<TrackingException>(() =>
            store.LogBatchAsync(
                run.RunId,
                new RunBatch(
                    [],
                    new Dictionary<string, string> { ["trainer"] = "sdca" },
                    new Dictionary<string, string>()
                )
            )
        );

        error.ErrorCode.ShouldBe("INVALID_PARAMETER_VALUE");
        error.Message.ShouldContain("Changing param values is not allowed");
    }

    [Theory]
    [InlineData(0.442, "0.442")]
    [InlineData(1.0, "1.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(123456789.0, "123456789.0")]
    [InlineData(2e20, "2e+20")]
    public void PythonFloat_Values_PrintAsPythonDoes(double value, string expected) =>
        FileTrackingStore.PythonFloat(value).ShouldBe(expected);

    [Fact]
    public async Task GetRun_InvalidRunId_IsAClearError()
    {
        using var temp = new TempDirectory("filestore");

        (
            await Should.ThrowAsync<TrackingException>(() => Fixture(temp).GetRunAsync("../../etc"))
        ).Message.ShouldContain("Invalid run ID");
        (
            await Should.ThrowAsync<TrackingException>(() =>
                Fixture(temp).GetRunAsync("0123456789abcdef0123456789abcdef")
            )
        ).IsNotFound.ShouldBeTrue();
    }

    private static string[] Keys(string metaYaml) =>
        [
            .. File.ReadAllLines(metaYaml)
                .Where(l => l.Length > 0 && !l.StartsWith(' ') && l.Contains(':'))
                .Select(l => l[..l.IndexOf(':')])
                .Where(k => k != "deleted_time"),
        ];

    [Fact]
    public async Task PromoteReference_NoModelGiven_UsesTheLineagesNameAndVersion()
    {
        using var temp = new TempDirectory("filestore");
        var store = Fixture(temp);
        var model = temp.Combine("model");
        Pipeline.Core.IO.JsonFile.Write(
            Path.Combine(model, ModelExtractor.LineageFile),
            new Dictionary<string, object?> { ["registered_model"] = "sentiment-model", ["version"] = "1" }
        );

        var promoted = await new ModelRegistry(store).PromoteReferenceAsync(null, model);
        var other = await Should.ThrowAsync<TrackingException>(() =>
            new ModelRegistry(store).PromoteReferenceAsync(RegisteredModelReference.Parse("other-model"), model)
        );

        promoted!.Name.ShouldBe("sentiment-model");
        promoted.Version.ShouldBe("1");
        (await store.GetModelVersionByAliasAsync("sentiment-model", "champion")).Version.ShouldBe("1");
        other.Message.ShouldContain("is sentiment-model v1, not a version of other-model");
    }
}
