using Pipeline.Cake.Images;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>
/// Deploy up to the cluster boundary: real kubectl renders the real overlays. Applying and rolling out need a
/// Kubernetes API server, which does not exist here.
/// </summary>
public sealed class DeployStageTests
{
    private static TempDirectory Workspace(bool withSecrets)
    {
        var folder = new TempDirectory("deploy");
        Fixtures.CopyTree(Path.Combine(Fixtures.RepositoryRoot, "k8s"), folder.Combine("k8s"));
        File.Delete(folder.Combine("k8s", "overlays", "dev", "secrets.env"));
        if (withSecrets)
        {
            folder.Write("k8s/overlays/dev/secrets.env", "username=reviews\npassword=test-only\nconnection-string=Host=reviews-db;Password=test-only\n");
        }

        Directory.CreateDirectory(folder.Combine("artifacts"));
        ImageManifest.Write(folder.Combine("artifacts", "images.json"),
            [new BuiltImage("sentiment-api", "127.0.0.1:5055/sentiment-api", ["3f1c2a9-7", "latest"], "sha256:1d") { Digest = "sha256:abc" }]);
        return folder;
    }

    [SkippableFact]
    public void Deploy_DryRun_PrintsRenderedManifestsAndTheExactCommandsWithTheDigest()
    {
        Skip.IfNot(ExternalTools.OnPath("kubectl"), "kubectl is not on PATH; it renders the overlays");
        using var folder = Workspace(withSecrets: true);

        var result = BuildHost.For(folder.Path).Run("--target=Deploy", "--exclusive", "--dry-run", "--overlay=prod");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("kind: ExternalSecret");
        result.Output.ShouldContain($"kubectl apply --server-side --field-manager=\"pipeline\" --force-conflicts -f \"{folder.Combine("artifacts", "deploy", "manifests.yaml")}\"");
        result.Output.ShouldContain("kubectl --namespace=\"sentiment\" set image \"deployment/sentiment-api\" \"api=127.0.0.1:5055/sentiment-api@sha256:abc\"");
        result.Output.ShouldContain("kubectl --namespace=\"sentiment\" rollout status \"deployment/sentiment-api\" --timeout=300s");
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
