using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>The image stages with a real builder (podman) and a real registry (docker-registry) on loopback.</summary>
[Trait("Category", "Integration")]
public sealed class ImageStageTests
{
    [SkippableFact]
    public async Task BuildAndPushImages_RealPodmanAndRegistry_ImageIsPushedRunsAndPredicts()
    {
        var (lab, reason) = await ContainerLab.GetAsync();
        Skip.If(lab is null, reason);
        using var folder = new TempDirectory("images");
        var sample = Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");
        var config = folder.Write(
            "training.json",
            $"{{ \"model\": \"sentiment\", \"dataset\": \"{sample}\", \"gate\": {{ \"floors\": {{ \"accuracy\": 0.6 }} }} }}"
        );
        BuildHost.For(folder.Path).Run($"--config={config}").ExitCode.ShouldBe(0);
        string[] images =
        [
            $"--registry={lab!.Registry}",
            $"--image-tool={lab.Podman}",
            $"--base-image={ContainerLab.BaseImage}",
            "--prebuilt",
        ];

        var build = BuildHost.For(folder.Path).Run(["--target=BuildImages", "-e", .. images]);
        var push = BuildHost.For(folder.Path).Run(["--target=PushImages", "-e", .. images]);

        build.ExitCode.ShouldBe(0, build.Output);
        push.ExitCode.ShouldBe(0, push.Output);
        using var http = new HttpClient();
        var tags = await http.GetFromJsonAsync<JsonElement>($"http://{lab.Registry}/v2/sentiment-api/tags/list");
        tags.GetProperty("tags")
            .EnumerateArray()
            .Select(t => t.GetString())
            .ShouldBe(["0000000-local", "latest"], ignoreOrder: true);
        var all = JsonDocument
            .Parse(File.ReadAllText(folder.Combine("artifacts", "images.json")))
            .RootElement.GetProperty("images");
        all.EnumerateArray()
            .Select(i => i.GetProperty("name").GetString())
            .ShouldBe(["sentiment-api", "pipeline-train", "pipeline-datasets", "pipeline-watcher"]);
        var manifest = all[0];
        manifest.GetProperty("digest").GetString()!.ShouldStartWith("sha256:");
        manifest
            .GetProperty("deploy_reference")
            .GetString()
            .ShouldBe($"{lab.Registry}/sentiment-api@{manifest.GetProperty("digest").GetString()}");
        foreach (
            var (service, says) in new[]
            {
                ("pipeline-train", "/app/data/sample/reviews.csv: the dataset does not exist"),
                ("pipeline-datasets", "pipeline-datasets needs a command"),
                ("pipeline-watcher", "no Kubernetes API to talk to"),
            }
        )
        {
            lab.Run(
                    "image",
                    "inspect",
                    "--format",
                    "{{.Config.User}} {{index .Labels \"org.opencontainers.image.title\"}}",
                    $"{lab.Registry}/{service}:0000000-local"
                )
                .Output.Trim()
                .ShouldBe($"10001:10001 {service}");
            var (exit, output) = lab.Run(
                "run",
                "--rm",
                "--network",
                "none",
                "--read-only",
                $"{lab.Registry}/{service}:0000000-local"
            );
            exit.ShouldBe(2, output); // the entry point ran and asked for what it needs
            output.ShouldContain(says);
        }

        var (_, labels) = lab.Run(
            "image",
            "inspect",
            "--format",
            "{{index .Labels \"org.opencontainers.image.version\"}} {{index .Labels \"io.pipeline.model.run-id\"}} {{.Config.User}}",
            $"{lab.Registry}/sentiment-api:0000000-local"
        );
        labels.Trim().ShouldStartWith("0000000-local ");
        labels.Trim().ShouldEndWith(" 10001:10001");
        lab.Run("image", "inspect", "--format", "{{.HealthCheck}}", $"{lab.Registry}/sentiment-api:0000000-local")
            .Output.ShouldContain("healthcheck");
        var environment = lab.Run(
            "image",
            "inspect",
            "--format",
            "{{json .Config.Env}}",
            $"{lab.Registry}/sentiment-api:0000000-local"
        ).Output;
        environment.ShouldContain("DOTNET_GCgen0size=0x4000000"); // the serving benchmark's runtime settings
        environment.ShouldContain("DOTNET_TieredPGO=0");

        environment.ShouldContain("Sentiment__ManagementPort=9090");
        var (port, management) = (LoopbackPort.Free(), LoopbackPort.Free());
        var name = $"pipeline-test-{Guid.NewGuid():N}";
        var (runExit, runOutput) = lab.Run(
            "run",
            "-d",
            "--rm",
            "--name",
            name,
            "--network",
            "host",
            "--read-only",
            "--tmpfs",
            "/tmp",
            "-e",
            $"ASPNETCORE_URLS=http://127.0.0.1:{port};http://127.0.0.1:{management}",
            "-e",
            $"Sentiment__ManagementPort={management}",
            $"{lab.Registry}/sentiment-api:0000000-local"
        );
        runExit.ShouldBe(0, runOutput);
        try
        {
            await LoopbackPort.WaitUntilListeningAsync(
                port,
                TimeSpan.FromSeconds(60),
                () => lab.Run("logs", name).Output
            );
            (await http.GetAsync($"http://127.0.0.1:{port}/health/live")).IsSuccessStatusCode.ShouldBeTrue();
            var prediction = await (
                await http.PostAsJsonAsync(
                    $"http://127.0.0.1:{port}/api/predict",
                    new { text = "Highly recommended, the ending works." }
                )
            ).Content.ReadFromJsonAsync<JsonElement>();
            prediction.GetProperty("sentiment").GetString().ShouldBeOneOf("positive", "negative");
            prediction.GetProperty("probability").GetDouble().ShouldBeInRange(0, 1);
            var lineage = JsonDocument
                .Parse(File.ReadAllText(folder.Combine("artifacts", "model", "lineage.json")))
                .RootElement;
            prediction
                .GetProperty("model")
                .GetProperty("runId")
                .GetString()
                .ShouldBe(lineage.GetProperty("run_id").GetString());
            lab.Run("exec", name, "/app/Sentiment.Api", "healthcheck").ExitCode.ShouldBe(0);
            (await http.GetAsync($"http://127.0.0.1:{port}/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await http.GetStringAsync($"http://127.0.0.1:{management}/metrics")).ShouldContain(
                "sentiment_predictions_total"
            );
        }
        finally
        {
            lab.Run("rm", "-f", name);
        }
    }

    [SkippableFact]
    public async Task BuildImages_SecondWorkload_ShipsThePlaylistModelThroughTheSameStage()
    {
        var (lab, reason) = await ContainerLab.GetAsync();
        Skip.If(lab is null, reason);
        using var folder = new TempDirectory("images");
        var playlists = Path.Combine(Fixtures.RepositoryRoot, "data", "playlists", "playlists.csv");
        var config = folder.Write(
            "playlist.json",
            $"{{ \"model\": \"playlist\", \"dataset\": \"{playlists}\", \"experiment\": \"p\", \"registered_model\": \"playlist-model\", "
                + "\"gate\": { \"floors\": { \"hit_rate_at_10\": 0.2 } } }"
        );
        BuildHost.For(folder.Path).Run($"--config={config}").ExitCode.ShouldBe(0);

        var build = BuildHost
            .For(folder.Path)
            .Run(
                "--target=BuildImages",
                "-e",
                $"--config={config}",
                $"--registry={lab!.Registry}",
                $"--image-tool={lab.Podman}",
                $"--base-image={ContainerLab.BaseImage}",
                "--prebuilt",
                "--image=playlist-api"
            );

        build.ExitCode.ShouldBe(0, build.Output);
        var (port, management) = (LoopbackPort.Free(), LoopbackPort.Free());
        var name = $"pipeline-test-{Guid.NewGuid():N}";
        var (runExit, runOutput) = lab.Run(
            "run",
            "-d",
            "--rm",
            "--name",
            name,
            "--network",
            "host",
            "--read-only",
            "-e",
            $"ASPNETCORE_URLS=http://127.0.0.1:{port};http://127.0.0.1:{management}",
            "-e",
            $"Playlist__ManagementPort={management}",
            $"{lab.Registry}/playlist-api:0000000-local"
        );
        runExit.ShouldBe(0, runOutput);
        try
        {
            await LoopbackPort.WaitUntilListeningAsync(
                port,
                TimeSpan.FromSeconds(60),
                () => lab.Run("logs", name).Output
            );
            using var http = new HttpClient();
            var model = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/api/model");
            model
                .GetProperty("runId")
                .GetString()
                .ShouldBe(Pipeline.Tracking.ModelExtractor.ReadLineage(folder.Combine("artifacts", "model"), "run_id"));
            var tracks = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/api/tracks?limit=2");
            var seed = tracks.GetProperty("tracks")[0].GetString();
            var answer = await http.PostAsJsonAsync(
                $"http://127.0.0.1:{port}/api/recommend",
                new { tracks = new[] { seed } }
            );
            (await answer.Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("recommendations")
                .GetArrayLength()
                .ShouldBe(10);
            (await http.GetStringAsync($"http://127.0.0.1:{management}/metrics")).ShouldContain(
                "playlist_recommendations_total"
            );
        }
        finally
        {
            lab.Run("rm", "-f", name);
        }
    }
}
