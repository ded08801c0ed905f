using System.Text;
using Pipeline.Testing;
using Pipeline.Tracking.Rest;

namespace Pipeline.Tracking.Tests;

/// <summary>Our REST client against the exchanges recorded from a real MLflow 2.12 server, replayed on loopback.</summary>
public sealed class RestTranscriptTests
{
    private const string Run1 = "34f1d543ec6a4e71a9b906684f75e9dc";
    private const string Run2 = "dd567c25a10d48b9ac671b9b0a97f157";

    private static long Ts(int seq, string field = "timestamp") =>
        TranscriptServer.Record(seq)["request_json"]!.AsObject() is var body && body[field] is { } v
            ? v.GetValue<long>()
            : 0;

    private static long MetricTs(int seq) =>
        TranscriptServer.Record(seq)["request_json"]!["metrics"]![0]!["timestamp"]!.GetValue<long>();

    private static async Task<(TranscriptServer Server, MlflowRestStore Client)> Start()
    {
        var server = await TranscriptServer.StartAsync();
        return (server, new MlflowRestStore(server.Url, _ => null, RetryPolicy.None));
    }

    [Fact]
    public async Task WholeTranscript_OurClient_MakesTheRecordedRequestsAndHandlesEveryResponse()
    {
        var (server, client) = await Start();
        await using var _ = server;
        using var __ = client;
        using var temp = new TempDirectory("transcript");

        // Experiments: get-by-name 404 → create → get; then found; then a duplicate create.
        server.Expect(1, 2, 3, 4, 5);
        (await client.GetExperimentByNameAsync("sentiment-analysis")).ShouldBeNull();
        var experimentId = await client.CreateExperimentAsync(
            "sentiment-analysis",
            new Dictionary<string, string> { ["project"] = "mlops-pipeline" }
        );
        var experiment = await client.GetExperimentAsync(experimentId);
        experiment.ArtifactLocation.ShouldBe("mlflow-artifacts:/1");
        experiment.Tags["project"].ShouldBe("mlops-pipeline");
        (await client.GetExperimentByNameAsync("sentiment-analysis"))!.Id.ShouldBe("1");
        var duplicate = await Should.ThrowAsync<TrackingException>(() =>
            client.CreateExperimentAsync("sentiment-analysis")
        );
        duplicate.ErrorCode.ShouldBe("RESOURCE_ALREADY_EXISTS");
        duplicate.StatusCode.ShouldBe(400);

        // Run 1: create, params (same value twice, then a conflicting one), metrics with steps, a batch, a tag, finish.
        server.Expect(6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var run1 = await client.CreateRunAsync(
            "1",
            "train-sdca-001",
            Ts(6, "start_time"),
            new Dictionary<string, string>
            {
                ["mlflow.source.git.commit"] = "3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
                ["data.train.md5"] = "723ad71547f5f8f35a97a9502e8d3a9b",
                ["mlflow.user"] = "ci",
            }
        );
        run1.RunId.ShouldBe(Run1);
        run1.Status.ShouldBe(RunStatus.Running);
        await client.LogParamAsync(Run1, "trainer", "SdcaLogisticRegression");
        await client.LogParamAsync(Run1, "trainer", "SdcaLogisticRegression");
        var conflict = await Should.ThrowAsync<TrackingException>(() =>
            client.LogParamAsync(Run1, "trainer", "LbfgsLogisticRegression")
        );
        conflict.ErrorCode.ShouldBe("INVALID_PARAMETER_VALUE");
        conflict.Message.ShouldContain("Changing param values is not allowed");
        await client.LogMetricAsync(Run1, new Metric("loss", 0.6931, Ts(10), 0));
        await client.LogMetricAsync(Run1, new Metric("loss", 0.4127, Ts(11), 1));
        await client.LogMetricAsync(Run1, new Metric("loss", 0.3318, Ts(12), 2));
        await client.LogBatchAsync(
            Run1,
            new RunBatch(
                [
                    new Metric("accuracy", 0.8712, MetricTs(13), 0),
                    new Metric("auc", 0.9431, MetricTs(13), 0),
                    new Metric("f1", 0.8695, MetricTs(13), 0),
                ],
                new Dictionary<string, string> { ["seed"] = "1", ["test_fraction"] = "0.2" },
                new Dictionary<string, string> { ["stage"] = "train" }
            )
        );
        await client.SetTagAsync(Run1, "model.format", "mlnet-zip");
        await client.UpdateRunAsync(Run1, RunStatus.Finished, Ts(15, "end_time"));

        // Reading back: the run (latest metric values only), a missing run, the full history.
        server.Expect(16, 17, 18);
        var read = await client.GetRunAsync(Run1);
        read.Info.Status.ShouldBe(RunStatus.Finished);
        read.Metrics["loss"].Value.ShouldBe(0.3318);
        read.Metrics["loss"].Step.ShouldBe(2);
        read.Params["trainer"].ShouldBe("SdcaLogisticRegression");
        read.Tags["mlflow.runName"].ShouldBe("train-sdca-001");
        var missing = await Should.ThrowAsync<TrackingException>(() =>
            client.GetRunAsync("0123456789abcdef0123456789abcdef")
        );
        missing.StatusCode.ShouldBe(404);
        missing.IsNotFound.ShouldBeTrue();
        (await client.GetMetricHistoryAsync(Run1, "loss"))
            .Select(m => (m.Value, m.Step))
            .ShouldBe([(0.6931, 0L), (0.4127, 1L), (0.3318, 2L)]);

        // Run 2, then a paged search (a full page always has a token; the last page is {}).
        server.Expect(19, 20, 21, 22, 23, 24);
        await client.CreateRunAsync(
            "1",
            "train-sdca-002",
            Ts(19, "start_time"),
            new Dictionary<string, string> { ["mlflow.source.git.commit"] = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d" }
        );
        await client.LogBatchAsync(
            Run2,
            new RunBatch(
                [new Metric("accuracy", 0.8904, MetricTs(20), 0), new Metric("auc", 0.9517, MetricTs(20), 0)],
                new Dictionary<string, string> { ["trainer"] = "SdcaLogisticRegression", ["seed"] = "2" },
                new Dictionary<string, string>()
            )
        );
        await client.UpdateRunAsync(Run2, RunStatus.Finished, Ts(21, "end_time"));
        var found = new List<string>();
        string? token = null;
        do
        {
            var page = await client.SearchRunsAsync(
                ["1"],
                "metrics.accuracy > 0.8 and attributes.status = 'FINISHED'",
                ["metrics.accuracy DESC"],
                1,
                token
            );
            found.AddRange(page.Runs.Select(r => r.Info.RunId));
            token = page.NextPageToken;
        } while (token is not null);
        found.ShouldBe([Run2, Run1]);

        // Search and request errors: bad comparator, OR, wrong content types, an HTML 404 page.
        server.Expect(25, 26).ExpectAnyContentType(27).ExpectAnyContentType(28).Expect(29);
        (
            await Should.ThrowAsync<TrackingException>(() =>
                client.SearchRunsAsync(["1"], "metrics.accuracy >> 0.8", null, 0, null)
            )
        ).Message.ShouldContain("Invalid comparator '>>'");
        (
            await Should.ThrowAsync<TrackingException>(() =>
                client.SearchRunsAsync(["1"], "metrics.accuracy > 0.8 or metrics.auc > 0.9", null, 0, null)
            )
        ).Message.ShouldContain("Invalid clause(s) in filter string: 'or'");
        (await Should.ThrowAsync<TrackingException>(() => client.SetTagAsync(Run1, "k", "v"))).Message.ShouldContain(
            "Content-Type header is missing"
        );
        (await Should.ThrowAsync<TrackingException>(() => client.SetTagAsync(Run1, "k", "v"))).Message.ShouldContain(
            "Content-Type must be one of"
        );
        var html = await Should.ThrowAsync<TrackingException>(() => client.GetRawAsync("runs/does-not-exist"));
        html.StatusCode.ShouldBe(404);
        html.ErrorCode.ShouldBeNull();
        html.Message.ShouldContain("404 Not Found");
        html.Message.ShouldNotContain("<title>");

        // Artifacts through the proxy: upload, download, list (proxy and tracking API), a missing file (500, not 404).
        var metricsJson = temp.Write("metrics.json", TranscriptServer.Record(30)["request_body"]!.GetValue<string>());
        var zip = temp.Combine("model.zip");
        File.WriteAllBytes(
            zip,
            Convert.FromBase64String(TranscriptServer.Record(31)["request_body_base64"]!.GetValue<string>())
        );
        server.Expect(30, 31, 32, 33, 34, 35, 36, 37);
        await client.UploadArtifactAsync(run1, "reports/metrics.json", metricsJson);
        await client.UploadArtifactAsync(run1, "model/model.zip", zip);
        await client.DownloadArtifactAsync(run1, "reports/metrics.json", temp.Combine("back", "metrics.json"));
        await client.DownloadArtifactAsync(run1, "model/model.zip", temp.Combine("back", "model.zip"));
        File.ReadAllBytes(temp.Combine("back", "model.zip")).ShouldBe(File.ReadAllBytes(zip));
        File.ReadAllText(temp.Combine("back", "metrics.json")).ShouldBe(File.ReadAllText(metricsJson));
        (await client.ListArtifactsAsync(run1, null)).ShouldBe([
            new ArtifactFile("model", true, null),
            new ArtifactFile("reports", true, null),
        ]);
        (await client.ListArtifactsAsync(run1, "model")).ShouldBe([new ArtifactFile("model/model.zip", false, 152)]);
        (await client.ListArtifactsViaTrackingApiAsync(Run1, "model")).ShouldBe([
            new ArtifactFile("model/model.zip", false, 152),
        ]);
        var gone = await Should.ThrowAsync<TrackingException>(() =>
            client.DownloadArtifactAsync(run1, "reports/missing.txt", temp.Combine("missing.txt"))
        );
        gone.ErrorCode.ShouldBe("INTERNAL_ERROR");
        gone.StatusCode.ShouldBe(500);
        File.Exists(temp.Combine("missing.txt")).ShouldBeFalse();

        // Registry: models, versions, aliases.
        server.Expect(38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51);
        await client.CreateRegisteredModelAsync("sentiment-model", "IMDB sentiment classifier");
        (
            await Should.ThrowAsync<TrackingException>(() => client.CreateRegisteredModelAsync("sentiment-model", null))
        ).IsAlreadyExists.ShouldBeTrue();
        (await client.GetRegisteredModelAsync("sentiment-model"))!.Description.ShouldBe("IMDB sentiment classifier");
        (
            await client.CreateModelVersionAsync("sentiment-model", $"mlflow-artifacts:/1/{Run1}/artifacts/model", Run1)
        ).Version.ShouldBe("1");
        (
            await client.CreateModelVersionAsync("sentiment-model", $"mlflow-artifacts:/1/{Run2}/artifacts/model", Run2)
        ).Version.ShouldBe("2");
        (await client.GetModelVersionAsync("sentiment-model", "1")).RunId.ShouldBe(Run1);
        (
            await Should.ThrowAsync<TrackingException>(() => client.GetModelVersionAsync("sentiment-model", "9"))
        ).IsNotFound.ShouldBeTrue();
        (await client.SearchModelVersionsAsync("sentiment-model")).Select(v => v.Version).ShouldBe(["2", "1"]);
        await client.SetAliasAsync("sentiment-model", "champion", "2");
        var champion = await client.GetModelVersionByAliasAsync("sentiment-model", "champion");
        champion.Version.ShouldBe("2");
        champion.Aliases.ShouldBe(["champion"]);
        (await client.GetRegisteredModelAsync("sentiment-model"))!.Aliases.ShouldBe(
            new Dictionary<string, string> { ["champion"] = "2" }
        );
        await client.DeleteAliasAsync("sentiment-model", "champion");
        var noAlias = await Should.ThrowAsync<TrackingException>(() =>
            client.GetModelVersionByAliasAsync("sentiment-model", "champion")
        );
        noAlias.StatusCode.ShouldBe(400);
        noAlias.Message.ShouldContain("Registered model alias champion not found.");
        (await client.GetModelVersionDownloadUriAsync("sentiment-model", "2")).ShouldBe(
            $"mlflow-artifacts:/1/{Run2}/artifacts/model"
        );

        server.Mismatches.ShouldBeEmpty();
        server.AllServed.ShouldBeTrue();
    }

    [Fact]
    public async Task LogBatch_OverMlflowsLimits_IsSplitIntoValidRequests()
    {
        await using var server = await MlflowStandInServer.StartAsync();
        using var client = new MlflowRestStore(server.Url, _ => null, RetryPolicy.None);
        var experiment = await client.CreateExperimentAsync("limits");
        var run = await client.CreateRunAsync(experiment, "big", 1, new Dictionary<string, string>());
        var metrics = Enumerable.Range(0, 2500).Select(i => new Metric("loss", i, 1000 + i, i)).ToList();
        var parameters = Enumerable
            .Range(0, 150)
            .ToDictionary(i => $"p{i}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await client.LogBatchAsync(run.RunId, new RunBatch(metrics, parameters, new Dictionary<string, string>()));

        server.BatchSizes.ShouldAllBe(b =>
            b.Metrics <= 1000 && b.Params <= 100 && b.Metrics + b.Params + b.Tags <= 1000
        );
        (await client.GetMetricHistoryAsync(run.RunId, "loss")).Count.ShouldBe(2500);
        (await client.GetRunAsync(run.RunId)).Params.Count.ShouldBe(150);
    }

    [Fact]
    public async Task Requests_WithToken_SendBearerAuth()
    {
        await using var server = await MlflowStandInServer.StartAsync();
        using var client = new MlflowRestStore(
            server.Url,
            name => name == "MLFLOW_TRACKING_TOKEN" ? "s3cret" : null,
            RetryPolicy.None
        );

        await client.GetExperimentByNameAsync("x");

        server.LastAuthorization.ShouldBe("Bearer s3cret");
    }

    [Fact]
    public async Task Requests_WithUserAndPassword_SendBasicAuth()
    {
        await using var server = await MlflowStandInServer.StartAsync();
        var env = new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_USERNAME"] = "ci",
            ["MLFLOW_TRACKING_PASSWORD"] = "pw",
        };
        using var client = new MlflowRestStore(server.Url, env.GetValueOrDefault, RetryPolicy.None);

        await client.GetExperimentByNameAsync("x");

        server.LastAuthorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:pw")));
    }

    [Fact]
    public async Task Requests_On503Then200_AreRetried_But500IsNot()
    {
        await using var server = await MlflowStandInServer.StartAsync();
        using var client = new MlflowRestStore(
            server.Url,
            _ => null,
            new RetryPolicy(3, TimeSpan.FromMilliseconds(10))
        );
        server.FailNext(503, 2);

        (await client.GetExperimentByNameAsync("x")).ShouldBeNull();

        server.FailNext(500, 1);
        var error = await Should.ThrowAsync<TrackingException>(() => client.GetExperimentByNameAsync("x"));
        error.StatusCode.ShouldBe(500);
        server.Requests.ShouldBe(4);
    }

    [Fact]
    public async Task Requests_ToAClosedPort_AreUnreachableAfterRetries()
    {
        var port = LoopbackPort.Free();
        using var client = new MlflowRestStore(
            $"http://127.0.0.1:{port}",
            _ => null,
            new RetryPolicy(2, TimeSpan.FromMilliseconds(10))
        );

        var error = await Should.ThrowAsync<TrackingException>(() => client.GetExperimentByNameAsync("x"));

        error.IsUnreachable.ShouldBeTrue();
        error.Message.ShouldContain($"127.0.0.1:{port}");
    }
}
