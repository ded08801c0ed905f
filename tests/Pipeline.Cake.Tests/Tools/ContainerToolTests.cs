using Cake.Core;
using Pipeline.Cake.Tools.Containers;
using Pipeline.Testing;

namespace Pipeline.Cake.Tests.Tools;

public sealed class ContainerToolTests : IDisposable
{
    private readonly ToolFixture _fixture = new("docker", "podman");
    private readonly RecordingProcessRunner _runner;
    private readonly ICakeContext _context;

    public ContainerToolTests()
    {
        _runner = _fixture.Runner;
        _context = _fixture.Context;
    }

    public void Dispose() => _fixture.Dispose();

    private T Settings<T>(T settings)
        where T : ContainerSettings
    {
        settings.ToolPath = _fixture.Executable(settings.Executable);
        return settings;
    }

    [Fact]
    public void Build_AllSettings_RenderInCakeDockersOrderWithQuotes()
    {
        var settings = Settings(
            new ContainerBuildSettings
            {
                Executable = "podman",
                File = "src/Sentiment.Api/Dockerfile",
                Target = "runtime",
                Network = "host",
                Pull = true,
                IidFile = "artifacts/iid",
                Format = "docker",
            }
        );
        settings.Tags.Add("127.0.0.1:5055/sentiment-api:3f1c2a9-7");
        settings.Tags.Add("127.0.0.1:5055/sentiment-api:latest");
        settings.BuildArgs["BASE_IMAGE"] = "localhost/debian-minbase:bookworm";
        settings.Labels["org.opencontainers.image.revision"] = "3f1c2a9";

        _context.ContainerBuild(settings, ".");

        var (tool, arguments, _) = _runner.Runs.Single();
        tool.GetFilename().ToString().ShouldBe("podman");
        arguments.ShouldBe(
            "image build --build-arg \"BASE_IMAGE=localhost/debian-minbase:bookworm\" --file \"src/Sentiment.Api/Dockerfile\" --format \"docker\" --iidfile \"artifacts/iid\" "
                + "--label \"org.opencontainers.image.revision=3f1c2a9\" --network \"host\" --pull "
                + "--tag \"127.0.0.1:5055/sentiment-api:3f1c2a9-7\" --tag \"127.0.0.1:5055/sentiment-api:latest\" --target \"runtime\" \".\""
        );
    }

    [Fact]
    public void Build_WithBuildX_UsesBuildxBuildAndLoad()
    {
        _context.ContainerBuild(Settings(new ContainerBuildSettings { UseBuildX = true, Load = true }), "ctx");

        _runner.Runs.Single().Arguments.ShouldBe("buildx build --load \"ctx\"");
    }

    [Fact]
    public void TagPushAndInspect_Render()
    {
        _runner.StandardOutput.Add("sha256:abc");
        _context.ContainerTag(
            Settings(new ContainerCommandSettings()),
            "sentiment-api:1",
            "127.0.0.1:5055/sentiment-api:1"
        );
        _context.ContainerPush(
            Settings(
                new ContainerPushSettings
                {
                    Executable = "podman",
                    TlsVerify = false,
                    DigestFile = "d.txt",
                }
            ),
            "127.0.0.1:5055/sentiment-api:1"
        );
        var digest = _context.ContainerImageDigest(Settings(new ContainerCommandSettings()), "sentiment-api:1");

        _runner
            .Runs.Select(r => r.Arguments)
            .ShouldBe([
                "tag \"sentiment-api:1\" \"127.0.0.1:5055/sentiment-api:1\"",
                "push --digestfile \"d.txt\" --tls-verify=false \"127.0.0.1:5055/sentiment-api:1\"",
                "image inspect --format \"{{.Digest}}\" \"sentiment-api:1\"",
            ]);
        digest.ShouldBe("sha256:abc");
    }

    [Fact]
    public void Login_Password_IsNeverOnTheCommandLine()
    {
        var settings = new ContainerLoginSettings
        {
            Username = "ci-bot",
            Password = "hunter2",
            TlsVerify = false,
        };

        var arguments = ContainerArguments.Login(settings, "127.0.0.1:5055");

        arguments
            .Render()
            .ShouldBe("login --username \"ci-bot\" --password-stdin --tls-verify=false \"127.0.0.1:5055\"");
        arguments.Render().ShouldNotContain("hunter2");
        arguments.RenderSafe().ShouldNotContain("hunter2");
    }

    [Fact]
    public void Build_NonZeroExit_IsAnError()
    {
        _runner.ExitCode = 125;

        Should
            .Throw<CakeException>(() => _context.ContainerBuild(Settings(new ContainerBuildSettings()), "."))
            .Message.ShouldContain("exit code 125");
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void HasBuildX_DockerProbeExitCode_DecidesAndDoesNotThrow(int exitCode, bool expected)
    {
        _runner.ExitCode = exitCode;

        _context.ContainerHasBuildX(Settings(new ContainerCommandSettings())).ShouldBe(expected);

        _runner.Runs.Single().Arguments.ShouldBe("buildx version");
    }

    [Fact]
    public void HasBuildX_Podman_IsFalseWithoutRunningAnything()
    {
        _context.ContainerHasBuildX(Settings(new ContainerCommandSettings { Executable = "podman" })).ShouldBeFalse();

        _runner.Runs.ShouldBeEmpty();
    }
}
