using Pipeline.Delivery.Images;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>
/// Deploy with the real kubectl on the real overlays. No Kubernetes API server can run here, so the rollouts go to
/// <see cref="KubernetesStandInServer"/>, a loopback stand-in that speaks the API paths kubectl uses.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeployStageTests
{
    private static TempDirectory Workspace(
        bool withSecrets,
        string digest = "sha256:abc",
        string trainerDigest = "sha256:train"
    )
    {
        var folder = new TempDirectory("deploy");
        K8sCopy.Into(folder.Combine("k8s"), withSecrets);
        Directory.CreateDirectory(folder.Combine("artifacts"));
        ImageManifest.Write(
            folder.Combine("artifacts", "images.json"),
            [
                new BuiltImage("sentiment-api", "127.0.0.1:5055/sentiment-api", ["3f1c2a9-7", "latest"], "sha256:1d")
                {
                    Digest = digest,
                },
                new BuiltImage("pipeline-train", "127.0.0.1:5055/pipeline-train", ["3f1c2a9-7", "latest"], "sha256:2d")
                {
                    Digest = trainerDigest,
                },
                new BuiltImage(
                    "pipeline-watcher",
                    "127.0.0.1:5055/pipeline-watcher",
                    ["3f1c2a9-7", "latest"],
                    "sha256:3d"
                )
                {
                    Digest = "sha256:watch",
                },
            ]
        );
        return folder;
    }

    private static string[] StandInArguments(KubernetesStandInServer server, TempDirectory folder) =>
        [
            "--target=Deploy",
            "--exclusive",
            $"--kubeconfig={server.WriteKubeconfig(folder.Combine("kubeconfig"))}",
            "--context=stand-in",
            "--rollout-timeout=20",
        ];

    [SkippableFact]
    public async Task Deploy_StandInApiServer_AppliesSetsTheDigestAndRollsOut()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using var folder = Workspace(withSecrets: true);

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldBe(0, result.Output + string.Join('\n', server.Requests));
        var deployment = server.Get("apps/v1", "deployments", "sentiment-dev", "sentiment-api").ShouldNotBeNull();
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!
            .GetValue<string>()
            .ShouldBe("127.0.0.1:5055/sentiment-api@sha256:abc");
        server.Get("v1", "secrets", "sentiment-dev", "reviews-db").ShouldNotBeNull();
        server.Requests.ShouldContain(r =>
            r.StartsWith(
                "PATCH /apis/apps/v1/namespaces/sentiment-dev/deployments/sentiment-api?",
                StringComparison.Ordinal
            ) && r.Contains("fieldManager=pipeline", StringComparison.Ordinal)
        );
        result.Output.ShouldContain(
            "Deploy: deployment/sentiment-api in sentiment-dev runs 127.0.0.1:5055/sentiment-api@sha256:abc"
        );
        result.Output.ShouldContain(
            "Deploy: deployment/pipeline-watcher in sentiment-dev runs 127.0.0.1:5055/pipeline-watcher@sha256:watch"
        );
        var template = server
            .List("v1", "configmaps", "sentiment-dev")
            .Single(c =>
                c["metadata"]!["name"]!
                    .GetValue<string>()
                    .StartsWith("training-job-template-", StringComparison.Ordinal)
            );
        template["data"]!["training-job.yaml"]!
            .GetValue<string>()
            .ShouldContain("image: 127.0.0.1:5055/pipeline-train@sha256:train"); // the watcher's Jobs run the pushed trainer
        server.Get("rbac.authorization.k8s.io/v1", "roles", "sentiment-dev", "pipeline-watcher").ShouldNotBeNull();
    }

    private static string Image(KubernetesStandInServer server, string deployment) =>
        server.Get("apps/v1", "deployments", "sentiment-dev", deployment)!["spec"]!["template"]!["spec"]![
            "containers"
        ]![0]!["image"]!.GetValue<string>();

    private static string TemplateConfigMap(KubernetesStandInServer server) =>
        server.Get("apps/v1", "deployments", "sentiment-dev", "pipeline-watcher")!["spec"]!["template"]!["spec"]![
            "volumes"
        ]!
            .AsArray()
            .Select(v => v!["configMap"]?["name"]?.GetValue<string>())
            .Single(n => n?.StartsWith("training-job-template-", StringComparison.Ordinal) == true)!;

    [SkippableFact]
    public async Task Deploy_StandInApiServerImageThatCannotBePulled_DiagnosesUndoesEveryChangedDeploymentAndFails()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using (var good = Workspace(withSecrets: true))
        {
            var first = BuildHost.For(good.Path).Run(StandInArguments(server, good));
            first.ExitCode.ShouldBe(0, first.Output);
        }

        var goodTemplate = TemplateConfigMap(server);
        // A release with a new API image that cannot be pulled and a new trainer (a new Job template for the watcher).
        using var folder = Workspace(withSecrets: true, digest: "sha256:never-ready", trainerDigest: "sha256:train2");

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(
            "deployment/sentiment-api in sentiment-dev did not become ready within 20 s",
            customMessage: result.Output
        );
        result.Output.ShouldContain("Failed to pull image", customMessage: result.Output);
        result.Output.ShouldContain("Successfully assigned");
        result.Output.ShouldNotContain(
            "<nil>",
            customMessage: "the scheduler's events have an eventTime, not a lastTimestamp"
        );
        // The container never started, so it has no logs: the diagnosis says so and the undo still happens.
        result.Output.ShouldContain("is waiting to start: trying and failing to pull image");
        result.Output.ShouldContain("Rolled back to their previous revisions: ");
        result.Output.ShouldContain("deployment/pipeline-watcher");
        Image(server, "sentiment-api").ShouldBe("127.0.0.1:5055/sentiment-api@sha256:abc");
        // The watcher went back too, and with it the training Job template it mounts.
        TemplateConfigMap(server).ShouldBe(goodTemplate);
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerFirstDeployNeverReady_SaysThereIsNothingToUndoAndLeavesTheObjects()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using var folder = Workspace(withSecrets: true, digest: "sha256:never-ready");

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("First deploy of ", customMessage: result.Output);
        result.Output.ShouldMatch(@"First deploy of [^:]*deployment/sentiment-api");
        result.Output.ShouldContain("left as they are for inspection");
        result.Output.ShouldNotContain("no rollout history found");
        server.Get("apps/v1", "deployments", "sentiment-dev", "sentiment-api").ShouldNotBeNull();
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerAfterTheAutoscalerScaled_KeepsItsReplicaCount()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using (var first = Workspace(withSecrets: true))
        {
            BuildHost.For(first.Path).Run(StandInArguments(server, first)).ExitCode.ShouldBe(0);
        }

        server.Scale("sentiment-dev", "sentiment-api", 3);
        using var folder = Workspace(withSecrets: true, digest: "sha256:next");

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldBe(0, result.Output);
        var api = server.Get("apps/v1", "deployments", "sentiment-dev", "sentiment-api")!;
        api["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
        Image(server, "sentiment-api").ShouldBe("127.0.0.1:5055/sentiment-api@sha256:next");
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerNewTrainerImage_GivesTheTemplateANewNameThatRollsTheWatcher()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using (var first = Workspace(withSecrets: true))
        {
            BuildHost.For(first.Path).Run(StandInArguments(server, first)).ExitCode.ShouldBe(0);
        }

        var before = TemplateConfigMap(server);
        using var folder = Workspace(withSecrets: true, trainerDigest: "sha256:train2");

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldBe(0, result.Output);
        var after = TemplateConfigMap(server);
        after.ShouldNotBe(before);
        server.Get("v1", "configmaps", "sentiment-dev", after)!["data"]!["training-job.yaml"]!
            .GetValue<string>()
            .ShouldContain("pipeline-train@sha256:train2");
        server
            .Get("v1", "configmaps", "sentiment-dev", before)
            .ShouldNotBeNull("the previous template stays for an undo");
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerWithoutTheExternalSecretCrd_FailsBeforeApplyingAnything()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using var folder = Workspace(withSecrets: true);

        var result = BuildHost.For(folder.Path).Run([.. StandInArguments(server, folder), "--overlay=prod"]);

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(
            "the cluster does not serve these kinds (install their CustomResourceDefinitions first); nothing was applied",
            customMessage: result.Output
        );
        result.Output.ShouldContain("external-secrets.io/v1beta1/ExternalSecret reviews-db");
        server.List("apps/v1", "deployments", "sentiment").ShouldBeEmpty();
        server.List("v1", "configmaps", "sentiment").ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerTerminatingNamespace_FailsBeforeApplyingAnything()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        server.Put(
            new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "sentiment-dev" },
            }
        );
        server.Terminate("sentiment-dev");
        using var folder = Workspace(withSecrets: true);

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("because it is being terminated", customMessage: result.Output);
        server.List("apps/v1", "deployments", "sentiment-dev").ShouldBeEmpty();
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServer_ChampionMovesOnlyAfterASuccessfulRollout()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using var folder = Workspace(withSecrets: true, digest: "sha256:never-ready");
        var sample = Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");
        var config = folder.Write(
            "training.json",
            $"{{ \"model\": \"sentiment\", \"dataset\": \"{sample}\", \"registered_model\": \"sentiment-model\", \"gate\": {{ \"floors\": {{ \"accuracy\": 0.6 }} }} }}"
        );
        BuildHost.For(folder.Path).Run("--target=Train", "-e", $"--config={config}").ExitCode.ShouldBe(0);
        BuildHost.For(folder.Path).Run("--target=ExtractModel", "-e", $"--config={config}").ExitCode.ShouldBe(0);
        var champion = folder.Combine("mlruns", "models", "sentiment-model", "aliases", "champion");

        var failed = BuildHost.For(folder.Path).Run([.. StandInArguments(server, folder), $"--config={config}"]);
        var championAfterFailure = File.Exists(champion);
        ImageManifest.Write(
            folder.Combine("artifacts", "images.json"),
            [
                new BuiltImage("sentiment-api", "127.0.0.1:5055/sentiment-api", ["3f1c2a9-8", "latest"], "sha256:2e")
                {
                    Digest = "sha256:def",
                },
            ]
        );
        var succeeded = BuildHost.For(folder.Path).Run([.. StandInArguments(server, folder), $"--config={config}"]);

        failed.ExitCode.ShouldNotBe(0);
        championAfterFailure.ShouldBeFalse();
        succeeded.ExitCode.ShouldBe(0, succeeded.Output);
        succeeded.Output.ShouldContain("Deploy: sentiment-model v1 is now the champion.");
        File.Exists(champion).ShouldBeTrue();
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerSecondWorkload_RollsThePlaylistApiAndPromotesItsModel()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using var folder = Workspace(withSecrets: false);
        var playlists = Path.Combine(Fixtures.RepositoryRoot, "data", "playlists", "playlists.csv");
        var config = folder.Write(
            "playlist.json",
            $"{{ \"model\": \"playlist\", \"dataset\": \"{playlists}\", \"experiment\": \"p\", \"registered_model\": \"playlist-model\", "
                + "\"gate\": { \"floors\": { \"hit_rate_at_10\": 0.2 } } }"
        );
        BuildHost.For(folder.Path).Run($"--config={config}").ExitCode.ShouldBe(0);
        ImageManifest.Write(
            folder.Combine("artifacts", "images.json"),
            [
                new BuiltImage("playlist-api", "127.0.0.1:5055/playlist-api", ["3f1c2a9-7", "latest"], "sha256:4d")
                {
                    Digest = "sha256:play",
                },
                new BuiltImage("pipeline-train", "127.0.0.1:5055/pipeline-train", ["3f1c2a9-7", "latest"], "sha256:2d")
                {
                    Digest = "sha256:train",
                },
                new BuiltImage(
                    "pipeline-watcher",
                    "127.0.0.1:5055/pipeline-watcher",
                    ["3f1c2a9-7", "latest"],
                    "sha256:3d"
                )
                {
                    Digest = "sha256:watch",
                },
            ]
        );

        var result = BuildHost
            .For(folder.Path)
            .Run([.. StandInArguments(server, folder), $"--config={config}", "--overlay=playlist"]);

        result.ExitCode.ShouldBe(0, result.Output);
        server.Get("apps/v1", "deployments", "playlist-dev", "playlist-api")!["spec"]!["template"]!["spec"]![
            "containers"
        ]![0]!["image"]!
            .GetValue<string>()
            .ShouldBe("127.0.0.1:5055/playlist-api@sha256:play");
        server
            .List("v1", "configmaps", "playlist-dev")
            .Single(c =>
                c["metadata"]!["name"]!
                    .GetValue<string>()
                    .StartsWith("training-job-template-", StringComparison.Ordinal)
            )["data"]!["training-job.yaml"]!
            .GetValue<string>()
            .ShouldContain("image: 127.0.0.1:5055/pipeline-train@sha256:train");
        result.Output.ShouldContain("Deploy: playlist-model v1 is now the champion.");
        server.Get("apps/v1", "deployments", "sentiment-dev", "sentiment-api").ShouldBeNull();
    }

    [SkippableFact]
    public async Task Deploy_StandInApiServerMissingNamespace_FailsNamingIt()
    {
        TestTools.Require("kubectl");
        await using var server = await KubernetesStandInServer.StartAsync();
        using var folder = Workspace(withSecrets: true);
        var kustomization = folder.Combine("k8s", "overlays", "dev", "kustomization.yaml");
        File.WriteAllText(
            kustomization,
            File.ReadAllText(kustomization).Replace("  - namespace.yaml\n", string.Empty, StringComparison.Ordinal)
        );

        var result = BuildHost.For(folder.Path).Run(StandInArguments(server, folder));

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("namespaces \"sentiment-dev\" not found");
        server.Get("apps/v1", "deployments", "sentiment-dev", "sentiment-api").ShouldBeNull();
    }

    [SkippableFact]
    public void Deploy_DryRun_PrintsRenderedManifestsAndTheExactCommandsWithTheDigest()
    {
        TestTools.Require("kubectl");
        using var folder = Workspace(withSecrets: true);

        var result = BuildHost.For(folder.Path).Run("--target=Deploy", "--exclusive", "--dry-run", "--overlay=prod");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("kind: ExternalSecret");
        result.Output.ShouldContain(
            $"kubectl apply --server-side --field-manager=\"pipeline\" --force-conflicts -f \"{folder.Combine("artifacts", "deploy", "manifests.yaml")}\""
        );
        result.Output.ShouldContain(
            "kubectl --namespace=\"sentiment\" set image \"deployment/sentiment-api\" \"api=127.0.0.1:5055/sentiment-api@sha256:abc\""
        );
        result.Output.ShouldContain(
            "kubectl --namespace=\"sentiment\" rollout status \"deployment/sentiment-api\" --timeout=300s"
        );
        var applied = File.ReadAllText(folder.Combine("artifacts", "deploy", "manifests.yaml"));
        applied.ShouldContain("image: 127.0.0.1:5055/sentiment-api@sha256:abc");
        applied.ShouldNotContain("sentiment-api:0000000-0"); // the apply itself never rolls to the overlay's placeholder tag
    }

    [Fact]
    public void Deploy_DevOverlayWithoutSecretsEnv_FailsNamingTheFileBeforeCallingKubectl()
    {
        using var folder = Workspace(withSecrets: false);

        var result = BuildHost.For(folder.Path).Run("--target=Deploy", "--exclusive", "--dry-run");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("k8s/overlays/dev/secrets.env is missing");
    }

    [Fact]
    public void Deploy_UnknownOverlay_FailsNamingTheFlag()
    {
        using var folder = Workspace(withSecrets: true);

        var result = BuildHost.For(folder.Path).Run("--target=Deploy", "--exclusive", "--dry-run", "--overlay=staging");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("--overlay: k8s/overlays/staging does not exist");
    }
}
