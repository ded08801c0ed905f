using Cake.Core;
using Pipeline.Cake.Tools.Kubectl;
using Pipeline.Testing;

namespace Pipeline.Cake.Tests.Tools;

public sealed class KubectlToolTests : IDisposable
{
    private readonly ToolFixture _fixture = new("kubectl");

    public void Dispose() => _fixture.Dispose();

    private T Settings<T>(T settings)
        where T : KubectlSettings
    {
        settings.ToolPath = _fixture.Executable("kubectl");
        settings.Namespace = "sentiment";
        settings.Context = "kind-pipeline";
        settings.Kubeconfig = "/home/ci/.kube/config";
        return settings;
    }

    private IEnumerable<string> Rendered => _fixture.Runner.Runs.Select(r => r.Arguments);

    [Fact]
    public void Apply_ServerSideWithGlobalFlags_RendersGlobalFlagsFirst()
    {
        _fixture.Context.KubectlApply(
            Settings(new KubectlApplySettings { ForceConflicts = true }),
            "artifacts/deploy/rendered.yaml"
        );

        Rendered
            .Single()
            .ShouldBe(
                "--kubeconfig=\"/home/ci/.kube/config\" --context=\"kind-pipeline\" --namespace=\"sentiment\" "
                    + "apply --server-side --field-manager=\"pipeline\" --force-conflicts -f \"artifacts/deploy/rendered.yaml\""
            );
    }

    [Fact]
    public void Apply_ClientSideDryRun_HasNoServerSideFlags()
    {
        _fixture.Context.KubectlApply(
            new KubectlApplySettings
            {
                ToolPath = _fixture.Executable("kubectl"),
                ServerSide = false,
                DryRun = "client",
            },
            "-"
        );

        Rendered.Single().ShouldBe("apply --dry-run=client -f \"-\"");
    }

    [Fact]
    public void SetImageAndRollout_NamedDeployment_Render()
    {
        var settings = Settings(new KubectlSettings());

        _fixture.Context.KubectlSetImage(
            settings,
            "deployment/sentiment-api",
            "api",
            "127.0.0.1:5055/sentiment-api@sha256:abc"
        );
        _fixture
            .Context.KubectlRolloutStatus(settings, "deployment/sentiment-api", TimeSpan.FromMinutes(3))
            .ShouldBeTrue();
        _fixture.Context.KubectlRolloutUndo(settings, "deployment/sentiment-api");
        _fixture.Context.KubectlRolloutRestart(settings, "deployment/sentiment-api");

        const string global =
            "--kubeconfig=\"/home/ci/.kube/config\" --context=\"kind-pipeline\" --namespace=\"sentiment\" ";
        Rendered
            .Select(a => a.Replace(global, string.Empty, StringComparison.Ordinal))
            .ShouldBe([
                "set image \"deployment/sentiment-api\" \"api=127.0.0.1:5055/sentiment-api@sha256:abc\"",
                "rollout status \"deployment/sentiment-api\" --timeout=180s",
                "rollout undo \"deployment/sentiment-api\"",
                "rollout restart \"deployment/sentiment-api\"",
            ]);
    }

    [Fact]
    public void RolloutStatus_NonZeroExit_IsFalseNotAnError()
    {
        _fixture.Runner.ExitCode = 1;

        _fixture
            .Context.KubectlRolloutStatus(
                Settings(new KubectlSettings()),
                "deployment/sentiment-api",
                TimeSpan.FromSeconds(30)
            )
            .ShouldBeFalse();
    }

    [Theory]
    [InlineData("deployment")]
    [InlineData("deployment/")]
    [InlineData("deployments --all")]
    public void RolloutRestart_NoResourceName_RefusesWithoutRunning(string resource)
    {
        var error = Should.Throw<ArgumentException>(() =>
            _fixture.Context.KubectlRolloutRestart(Settings(new KubectlSettings()), resource)
        );

        error.Message.ShouldContain("kind/name");
        _fixture.Runner.Runs.ShouldBeEmpty();
    }

    [Fact]
    public void KustomizeEventsAndLogs_ReturnOutput()
    {
        _fixture.Runner.StandardOutput.Add("kind: Deployment");
        var settings = new KubectlSettings { ToolPath = _fixture.Executable("kubectl"), Namespace = "sentiment" };

        _fixture.Context.KubectlKustomize(settings, "k8s/overlays/dev").ShouldBe("kind: Deployment");
        _fixture.Context.KubectlEvents(settings, "Pod", "sentiment-api-7d9c-x2");
        _fixture.Context.KubectlLogs(settings, "sentiment-api-7d9c-x2", 50);

        Rendered.ShouldBe([
            "--namespace=\"sentiment\" kustomize \"k8s/overlays/dev\"",
            "--namespace=\"sentiment\" events --for=\"Pod/sentiment-api-7d9c-x2\"",
            "--namespace=\"sentiment\" logs \"sentiment-api-7d9c-x2\" --all-containers --tail=50",
        ]);
    }

    [Fact]
    public void Apply_NonZeroExit_IsAnError()
    {
        _fixture.Runner.ExitCode = 1;

        Should
            .Throw<CakeException>(() => _fixture.Context.KubectlApply(Settings(new KubectlApplySettings()), "x.yaml"))
            .Message.ShouldContain("exit code 1");
    }
}
