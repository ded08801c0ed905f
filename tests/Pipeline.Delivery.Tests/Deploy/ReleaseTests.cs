using Cake.Core.IO;
using Pipeline.Cake.Tools.Kubectl;
using Pipeline.Delivery.Deploy;
using Pipeline.Delivery.Images;
using Pipeline.Testing;

namespace Pipeline.Delivery.Tests.Deploy;

/// <summary>The Deploy procedure against a scripted kubectl: the order of commands, and what a failed rollout does.</summary>
public sealed class ReleaseTests : IDisposable
{
    private const string Rendered = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sentiment-api
          namespace: sentiment
        spec:
          selector:
            matchLabels:
              app: sentiment-api
          template:
            spec:
              containers:
              - image: 127.0.0.1:5055/sentiment-api:0000000-0
                name: api
        """;

    private static readonly BuiltImage Pushed = new(
        "sentiment-api",
        "127.0.0.1:5055/sentiment-api",
        ["3f1c2a9-7"],
        "sha256:1d",
        "sha256:abc"
    );

    private readonly ToolFixture _fixture = new("kubectl");
    private readonly TempDirectory _folder = new("release");

    public void Dispose()
    {
        _fixture.Dispose();
        _folder.Dispose();
    }

    private ReleaseRequest Request(bool dryRun = false, Func<Task>? afterRollout = null)
    {
        _folder.Write("k8s/overlays/dev/kustomization.yaml", "resources: []\n");
        return new ReleaseRequest(
            new DirectoryPath(_folder.Combine("k8s", "overlays", "dev")),
            [Pushed],
            new KubectlSettings { ToolPath = _fixture.Executable("kubectl") },
            TimeSpan.FromSeconds(30),
            new FilePath(_folder.Combine("artifacts", "deploy", "manifests.yaml")),
            dryRun,
            afterRollout
        );
    }

    /// <summary>kubectl as a cluster would answer: it serves Deployments, and each revision read sees the next one.</summary>
    private void Kubectl(int rolloutExit, bool exists = true)
    {
        var revision = 3;
        _fixture.Runner.Respond = arguments =>
            arguments switch
            {
                _ when arguments.StartsWith("kustomize", StringComparison.Ordinal) => (0, Rendered.Split('\n')),
                _ when arguments.StartsWith("api-resources", StringComparison.Ordinal) => (
                    0,
                    ["deployments   deploy   apps/v1   true   Deployment"]
                ),
                _ when arguments.Contains("get \"deployment/sentiment-api\"", StringComparison.Ordinal) => exists
                    ? (0, [(revision++).ToString(System.Globalization.CultureInfo.InvariantCulture)])
                    : (1, ["Error from server (NotFound): deployments.apps \"sentiment-api\" not found"]),
                _ when arguments.Contains("rollout status", StringComparison.Ordinal) => (rolloutExit, []),
                _ when arguments.Contains("get pods", StringComparison.Ordinal) => (0, ["pod/sentiment-api-7f9-abc"]),
                _ => (0, []),
            };
    }

    [Fact]
    public async Task Run_RolloutSucceeds_AppliesPinnedManifestsSetsTheDigestAndRunsWhatFollows()
    {
        Kubectl(rolloutExit: 0);
        var followed = false;

        var result = await Release.RunAsync(
            _fixture.Context,
            Request(afterRollout: () =>
            {
                followed = true;
                return Task.CompletedTask;
            })
        );

        var commands = _fixture.Runner.Commands.Skip(1).ToList();
        commands
            .Select(c =>
                c.Split(' ')[0] == "apply"
                    ? c.Contains("--dry-run=server", StringComparison.Ordinal)
                        ? "dry-run"
                        : "apply"
                    : c
            )
            .Where(c => c is "dry-run" or "apply")
            .ShouldBe(["dry-run", "apply"], "a server-side dry run before anything is applied");
        commands[0].ShouldBe("api-resources --no-headers");
        commands.ShouldContain(
            "--namespace=\"sentiment\" set image \"deployment/sentiment-api\" \"api=127.0.0.1:5055/sentiment-api@sha256:abc\""
        );
        commands[^1].ShouldBe("--namespace=\"sentiment\" rollout status \"deployment/sentiment-api\" --timeout=30s");
        File.ReadAllText(_folder.Combine("artifacts", "deploy", "manifests.yaml"))
            .ShouldContain("image: 127.0.0.1:5055/sentiment-api@sha256:abc");
        result.Rollouts.ShouldHaveSingleItem().Image.ShouldBe(Pushed.DeployReference);
        followed.ShouldBeTrue();
    }

    [Fact]
    public async Task Run_RolloutFails_PrintsDiagnosticsUndoesAndFailsWithoutWhatFollows()
    {
        Kubectl(rolloutExit: 1);
        var followed = false;

        var failure = await Should.ThrowAsync<DeliveryException>(() =>
            Release.RunAsync(
                _fixture.Context,
                Request(afterRollout: () =>
                {
                    followed = true;
                    return Task.CompletedTask;
                })
            )
        );

        failure.Message.ShouldContain("deployment/sentiment-api in sentiment did not become ready within 30 s.");
        failure.Message.ShouldContain("Rolled back to their previous revisions: deployment/sentiment-api.");
        _fixture.Runner.Commands.ShouldContain(c =>
            c.Contains("logs \"sentiment-api-7f9-abc\"", StringComparison.Ordinal)
        );
        _fixture.Runner.Commands[^1].ShouldBe("--namespace=\"sentiment\" rollout undo \"deployment/sentiment-api\"");
        followed.ShouldBeFalse();
    }

    [Fact]
    public async Task Run_DryRun_RendersAndTouchesNoCluster()
    {
        Kubectl(rolloutExit: 0);

        var result = await Release.RunAsync(_fixture.Context, Request(dryRun: true));

        result.DryRun.ShouldBeTrue();
        _fixture.Runner.Commands.ShouldHaveSingleItem().ShouldStartWith("kustomize");
    }

    [Fact]
    public async Task Run_MissingOverlay_FailsNamingItBeforeKubectl()
    {
        var request = Request() with { Overlay = new DirectoryPath(_folder.Combine("k8s", "overlays", "staging")) };

        (
            await Should.ThrowAsync<DeliveryException>(() => Release.RunAsync(_fixture.Context, request))
        ).Message.ShouldContain("--overlay:");
        _fixture.Runner.Runs.ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_LogsOfTheFailedPodUnavailable_StillUndoes()
    {
        Kubectl(rolloutExit: 1);
        var script = _fixture.Runner.Respond;
        _fixture.Runner.Respond = arguments =>
            arguments.Contains(" logs ", StringComparison.Ordinal) ? (1, []) : script!(arguments);

        var failure = await Should.ThrowAsync<DeliveryException>(() => Release.RunAsync(_fixture.Context, Request()));

        failure.Message.ShouldContain("Rolled back");
        _fixture.Runner.Commands[^1].ShouldBe("--namespace=\"sentiment\" rollout undo \"deployment/sentiment-api\"");
    }

    [Fact]
    public async Task Run_FirstDeployFails_SaysThereIsNothingToUndo()
    {
        Kubectl(rolloutExit: 1, exists: false);

        var failure = await Should.ThrowAsync<DeliveryException>(() => Release.RunAsync(_fixture.Context, Request()));

        failure.Message.ShouldContain("First deploy of deployment/sentiment-api");
        _fixture.Runner.Commands.ShouldNotContain(c => c.Contains("rollout undo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_KindTheClusterDoesNotServe_FailsNamingItBeforeApplying()
    {
        Kubectl(rolloutExit: 0);
        var script = _fixture.Runner.Respond;
        _fixture.Runner.Respond = arguments =>
            arguments.StartsWith("api-resources", StringComparison.Ordinal)
                ? (0, ["services svc v1 true Service"])
                : script!(arguments);

        var failure = await Should.ThrowAsync<DeliveryException>(() => Release.RunAsync(_fixture.Context, Request()));

        failure.Message.ShouldContain("apps/v1/Deployment sentiment-api");
        _fixture.Runner.Commands.ShouldNotContain(c => c.StartsWith("apply", StringComparison.Ordinal));
    }
}
