using Pipeline.Testing;
using Pipeline.Tracking.FileStore;
using Pipeline.Tracking.Rest;

namespace Pipeline.Tracking.Tests;

public sealed class RunLifecycleTests
{
    [Fact]
    public async Task TrackedRun_ServerDiesMidRun_FallsBackLosingNothingThenSyncs()
    {
        using var temp = new TempDirectory("fallback");
        var server = await MlflowStandInServer.StartAsync();
        var url = server.Url;
        var port = new Uri(url).Port;
        var local = new FileTrackingStore(temp.Combine("mlruns"));
        var messages = new List<string>();
        using var client = new MlflowRestStore(url, _ => null, new RetryPolicy(2, TimeSpan.FromMilliseconds(10)));
        var run = await TrackedRun.StartAsync(
            client,
            local,
            "sentiment-analysis",
            "train-1",
            new Dictionary<string, string> { ["mlflow.source.git.commit"] = "abc" },
            messages.Add
        );
        await run.LogParamsAsync(new Dictionary<string, string> { ["trainer"] = "lbfgs" });
        await run.LogMetricsAsync([new Metric("loss", 0.7, 1, 0)]);
        var report = temp.Write("reports/report.html", "<html></html>");

        await server.DisposeAsync();
        await run.LogMetricsAsync([new Metric("loss", 0.3, 2, 1), new Metric("accuracy", 0.9, 2, 0)]);
        await run.LogArtifactsAsync(temp.Combine("reports"), "reports");
        await run.EndAsync(RunStatus.Finished);

        run.FellBack.ShouldBeTrue();
        messages.ShouldContain(m => m.Contains("is unreachable") && m.Contains("--target=SyncRuns"));
        var saved = await local.GetRunAsync(run.Info.RunId);
        saved.Info.Status.ShouldBe(RunStatus.Finished);
        saved.Params["trainer"].ShouldBe("lbfgs");
        saved.Tags["mlflow.source.git.commit"].ShouldBe("abc");
        saved.Tags[TrackedRun.SyncTag].ShouldBe("pending");
        (await local.GetMetricHistoryAsync(run.Info.RunId, "loss")).Select(m => m.Value).ShouldBe([0.7, 0.3]);
        File.Exists(Path.Combine(local.ArtifactFolder(saved.Info), "reports", "report.html")).ShouldBeTrue();

        await using var revived = await MlflowStandInServer.StartAsync(port);
        using var again = new MlflowRestStore(revived.Url, _ => null, RetryPolicy.None);
        var synced = await RunSync.SyncAsync(local, again, messages.Add);

        synced.Count.ShouldBe(1);
        var remote = await again.GetRunAsync(synced[0].ServerRunId);
        remote.Info.Status.ShouldBe(RunStatus.Finished);
        remote.Params["trainer"].ShouldBe("lbfgs");
        (await again.GetMetricHistoryAsync(remote.Info.RunId, "loss")).Count.ShouldBe(2);
        (await again.ListArtifactsAsync(remote.Info, "reports")).Select(a => a.Path).ShouldBe(["reports/report.html"]);
        (await local.GetRunAsync(run.Info.RunId)).Tags[TrackedRun.SyncTag].ShouldBe("done");
        (await RunSync.SyncAsync(local, again, messages.Add)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunSync_ServerLostMidRun_FinishesTheRunItStartedAsWithEverythingPointingAtIt()
    {
        using var temp = new TempDirectory("fallback");
        await using var server = await MlflowStandInServer.StartAsync();
        await using var proxy = new TcpProxy(new Uri(server.Url).Port);
        using var client = new MlflowRestStore(
            $"http://127.0.0.1:{proxy.Port}",
            _ => null,
            new RetryPolicy(2, TimeSpan.FromMilliseconds(10))
        );
        using var direct = new MlflowRestStore(server.Url, _ => null, RetryPolicy.None);
        var local = new FileTrackingStore(temp.Combine("mlruns"));
        // An earlier training already made v1 on the server, so the outage's version must not keep its local number.
        var earlier = await TrackedRun.StartAsync(
            direct,
            null,
            "e",
            "earlier",
            new Dictionary<string, string>(),
            _ => { }
        );
        await new ModelRegistry(direct).RegisterChallengerAsync("m", earlier.Info, "model");
        var run = await TrackedRun.StartAsync(
            client,
            local,
            "e",
            "train-2",
            new Dictionary<string, string> { ["mlflow.user"] = "ada" },
            _ => { }
        );
        var serverRunId = run.Info.RunId;
        var started = run.Info.StartTime;
        await run.LogMetricsAsync([new Metric("epoch_accuracy", 0.7, started + 1000, 1)]);

        proxy.Cut();
        await run.LogMetricsAsync([new Metric("epoch_accuracy", 0.8, started + 2000, 2)]);
        var model = temp.Write(
            "model/MLmodel",
            $"artifact_path: model\nflavors:\n  mlnet: {{}}\nrun_id: {run.Info.RunId}\n"
        );
        await run.SetTagsAsync(
            new Dictionary<string, string> { ["mlflow.log-model.history"] = $"[{{\"run_id\": \"{run.Info.RunId}\"}}]" }
        );
        await run.LogInputsAsync([
            new DatasetInput(
                "data/train.csv",
                "723ad71547f5f8f35a97a9502e8d3a9b",
                "local",
                "{\"uri\": \"data/train.csv\"}",
                null,
                null,
                new Dictionary<string, string> { [DatasetInput.ContextTag] = "training" }
            ),
        ]);
        await run.LogArtifactsAsync(Path.GetDirectoryName(model)!, "model");
        var localVersion = await new ModelRegistry(run.Store).RegisterChallengerAsync("m", run.Info, "model");
        await run.EndAsync(RunStatus.Finished);
        var extracted = temp.Combine("extracted");
        Pipeline.Core.IO.JsonFile.Write(
            Path.Combine(extracted, ModelExtractor.LineageFile),
            new Dictionary<string, object?>
            {
                ["run_id"] = run.Info.RunId,
                ["registered_model"] = "m",
                ["version"] = localVersion.Version,
            }
        );
        File.Copy(model, Path.Combine(extracted, "MLmodel"));
        proxy.Restore();

        var synced = await RunSync.SyncAsync(local, direct, _ => { });

        run.FellBack.ShouldBeTrue();
        (await local.GetRunAsync(run.Info.RunId)).Info.StartTime.ShouldBe(started);
        synced.Single().ServerRunId.ShouldBe(serverRunId);
        synced.Single().IntoOriginalRun.ShouldBeTrue();
        var remote = await direct.GetRunAsync(serverRunId);
        remote.Info.Status.ShouldBe(RunStatus.Finished);
        remote.Info.StartTime.ShouldBe(started);
        remote.Info.UserId.ShouldBe("ada");
        remote.Tags["mlflow.log-model.history"].ShouldContain(serverRunId);
        remote.Tags["mlflow.log-model.history"].ShouldNotContain(run.Info.RunId);
        var experiment = (await direct.GetExperimentByNameAsync("e"))!;
        (await direct.SearchRunsAsync([experiment.Id], null, null, 0, null)).Runs.Count.ShouldBe(2);
        (await direct.GetMetricHistoryAsync(serverRunId, "epoch_accuracy"))
            .Select(m => (m.Step, m.Timestamp))
            .ShouldBe([(1L, started + 1000), (2L, started + 2000)]);
        var mlmodel = temp.Combine("downloaded", "MLmodel");
        await direct.DownloadArtifactAsync(remote.Info, "model/MLmodel", mlmodel);
        File.ReadAllText(mlmodel).ShouldContain($"run_id: {serverRunId}\n");
        server.Backend.ReadInputs(serverRunId).Single().Name.ShouldBe("data/train.csv");
        var challenger = await direct.GetModelVersionByAliasAsync("m", "challenger");
        challenger.Version.ShouldBe("2");
        challenger.RunId.ShouldBe(serverRunId);
        ModelExtractor.Relink(extracted, synced.Single(), direct.Location).ShouldBeTrue();
        ModelExtractor.ReadLineage(extracted, "run_id").ShouldBe(serverRunId);
        ModelExtractor.ReadLineage(extracted, "version").ShouldBe("2");
        File.ReadAllText(Path.Combine(extracted, "MLmodel")).ShouldContain($"run_id: {serverRunId}\n");
    }

    [Fact]
    public async Task CreateRun_ThroughTheRestClient_CarriesTheUserAsTheServerExpects()
    {
        await using var server = await MlflowStandInServer.StartAsync();
        using var client = new MlflowRestStore(server.Url, _ => null, RetryPolicy.None);
        var experiment = await client.CreateExperimentAsync("e");

        var run = await client.CreateRunAsync(
            experiment,
            "r",
            1,
            new Dictionary<string, string> { ["mlflow.user"] = "ada" }
        );

        (await client.GetRunAsync(run.RunId)).Info.UserId.ShouldBe("ada");
    }

    [Fact]
    public async Task TrackedRun_ServerDownFromTheStart_RunsLocally()
    {
        using var temp = new TempDirectory("fallback");
        using var client = new MlflowRestStore($"http://127.0.0.1:{LoopbackPort.Free()}", _ => null, RetryPolicy.None);
        var local = new FileTrackingStore(temp.Path);

        var run = await TrackedRun.StartAsync(client, local, "e", "r", new Dictionary<string, string>(), _ => { });
        await run.EndAsync(RunStatus.Failed);

        run.FellBack.ShouldBeTrue();
        (await local.GetRunAsync(run.Info.RunId)).Info.Status.ShouldBe(RunStatus.Failed);
    }

    [Fact]
    public async Task Registry_PromoteThenRollback_MovesChampionBackAndRecordsIt()
    {
        using var temp = new TempDirectory("registry");
        var store = new FileTrackingStore(temp.Path);
        var experiment = await store.CreateExperimentAsync("e");
        var registry = new ModelRegistry(store);
        var versions = new List<ModelVersion>();
        for (var i = 0; i < 3; i++)
        {
            var run = await store.CreateRunAsync(experiment, $"r{i}", i, new Dictionary<string, string>());
            versions.Add(await registry.RegisterChallengerAsync("m", run, "model"));
        }

        (await store.GetRegisteredModelAsync("m"))!.Aliases["challenger"].ShouldBe("3");
        (await registry.GetChampionAsync("m")).ShouldBeNull();
        await registry.PromoteAsync("m", "1");
        await registry.PromoteAsync("m", "3");
        (await registry.GetChampionAsync("m"))!.Value.Version.Version.ShouldBe("3");

        var back = await registry.RollbackAsync("m");

        back.Version.ShouldBe("1");
        var model = (await store.GetRegisteredModelAsync("m"))!;
        model.Aliases["champion"].ShouldBe("1");
        model.Tags[ModelRegistry.LastChangeTag].ShouldStartWith("rolled back 3 -> 1 at ");
        (await Should.ThrowAsync<TrackingException>(() => registry.RollbackAsync("m"))).Message.ShouldContain(
            "no previous champion"
        );
    }

    [Fact]
    public async Task Extract_ByAliasRunIdAndDefault_CopiesOnlyTheModelWithLineage()
    {
        using var temp = new TempDirectory("extract");
        var store = new FileTrackingStore(temp.Combine("mlruns"));
        var experiment = await store.CreateExperimentAsync("sentiment-analysis");
        var old = await store.CreateRunAsync(
            experiment,
            "old",
            1,
            new Dictionary<string, string> { [ModelExtractor.GateTag] = "passed", ["pipeline.dataset.md5"] = "aaa" }
        );
        var latest = await store.CreateRunAsync(
            experiment,
            "new",
            2,
            new Dictionary<string, string>
            {
                [ModelExtractor.GateTag] = "passed",
                ["mlflow.source.git.commit"] = "c0ffee",
            }
        );
        var rejected = await store.CreateRunAsync(
            experiment,
            "rejected",
            3,
            new Dictionary<string, string> { [ModelExtractor.GateTag] = "failed" }
        );
        foreach (var run in new[] { old, latest, rejected })
        {
            await store.UploadArtifactAsync(run, "model/model.zip", temp.Write($"{run.RunName}.zip", run.RunName));
            await store.UploadArtifactAsync(run, "reports/report.html", temp.Write($"{run.RunName}.html", "report"));
            await store.LogBatchAsync(
                run.RunId,
                new RunBatch(
                    [new Metric("accuracy", 0.9, 1, 0)],
                    new Dictionary<string, string>(),
                    new Dictionary<string, string>()
                )
            );
            await store.UpdateRunAsync(run.RunId, RunStatus.Finished, 10);
        }

        await new ModelRegistry(store).RegisterChallengerAsync("sentiment-model", old, "model");

        var byDefault = await ModelExtractor.ExtractAsync(
            store,
            new ModelReference("sentiment-analysis", null, null),
            temp.Combine("out1")
        );
        var byAlias = await ModelExtractor.ExtractAsync(
            store,
            new ModelReference("sentiment-analysis", null, "sentiment-model@challenger"),
            temp.Combine("out2")
        );
        var byRun = await ModelExtractor.ExtractAsync(
            store,
            new ModelReference("sentiment-analysis", rejected.RunId, null),
            temp.Combine("out3")
        );

        byDefault.RunId.ShouldBe(latest.RunId);
        File.ReadAllText(temp.Combine("out1", "model.zip")).ShouldBe("new");
        File.Exists(temp.Combine("out1", "report.html")).ShouldBeFalse();
        File.ReadAllText(temp.Combine("out1", "lineage.json")).ShouldContain("\"commit\": \"c0ffee\"");
        byAlias.Version.ShouldBe("1");
        File.ReadAllText(temp.Combine("out2", "lineage.json")).ShouldContain("\"dataset_md5\": \"aaa\"");
        byRun.RunId.ShouldBe(rejected.RunId);
        (
            await Should.ThrowAsync<TrackingException>(() =>
                ModelExtractor.ExtractAsync(
                    store,
                    new ModelReference("sentiment-analysis", null, "sentiment-model@champion"),
                    temp.Combine("x")
                )
            )
        ).Message.ShouldContain("alias champion not found");
        (
            await Should.ThrowAsync<TrackingException>(() =>
                ModelExtractor.ExtractAsync(
                    store,
                    new ModelReference("sentiment-analysis", "not a run id", null),
                    temp.Combine("x")
                )
            )
        ).Message.ShouldContain("Invalid run ID");
    }

    [Fact]
    public void MlModel_Written_HasMlflowsKeysFlavorAndSignature()
    {
        using var temp = new TempDirectory("mlmodel");
        temp.Write("model/model.zip", "zip");

        var (uuid, history) = MlModelFile.Write(
            temp.Combine("model"),
            "mlnet",
            new Dictionary<string, object?> { ["model_file"] = "model.zip", ["code"] = null },
            "abc123",
            "model",
            [new SignatureColumn("Review", "string")],
            [new SignatureColumn("Probability", "float")]
        );

        var text = File.ReadAllText(temp.Combine("model", "MLmodel"));
        text.ShouldStartWith("artifact_path: model\nflavors:\n  mlnet:\n    code: null\n    model_file: model.zip\n");
        text.ShouldContain($"model_uuid: {uuid}\n");
        text.ShouldContain("run_id: abc123\n");
        text.ShouldContain("model_size_bytes: 3\n");
        text.ShouldContain("  inputs: '[{\"type\":\"string\",\"name\":\"Review\",\"required\":true}]'\n");
        text.ShouldMatch(@"utc_time_created: '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}'");
        history.ShouldContain("\"run_id\":\"abc123\"");
    }
}
