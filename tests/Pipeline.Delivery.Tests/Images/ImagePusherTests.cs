using Cake.Core.IO;
using Pipeline.Delivery.Images;
using Pipeline.Testing;

namespace Pipeline.Delivery.Tests.Images;

/// <summary>The PushImages procedure against a recording process runner.</summary>
public sealed class ImagePusherTests : IDisposable
{
    private readonly ToolFixture _fixture = new("docker", "podman");
    private readonly TempDirectory _folder = new("image-pusher");

    public void Dispose()
    {
        _fixture.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Push_Docker_PushesEveryTagAndRecordsTheDigest()
    {
        _fixture.Runner.Respond = arguments =>
            arguments.StartsWith("image inspect", StringComparison.Ordinal) ? (0, ["sha256:feed"]) : null;
        var image = new BuiltImage(
            "sentiment-api",
            "registry.example.com/ml/sentiment-api",
            ["3f1c2a9-7", "latest"],
            "sha256:1d"
        );

        var pushed = ImagePusher.Push(
            _fixture.Context,
            [image],
            new ContainerTool("docker", _fixture.Executable("docker")),
            null,
            new DirectoryPath(_folder.Path)
        );

        _fixture
            .Runner.Commands.Where(c => c.StartsWith("push", StringComparison.Ordinal))
            .ShouldBe([
                "push \"registry.example.com/ml/sentiment-api:3f1c2a9-7\"",
                "push \"registry.example.com/ml/sentiment-api:latest\"",
            ]);
        pushed.ShouldHaveSingleItem().DeployReference.ShouldBe("registry.example.com/ml/sentiment-api@sha256:feed");
        ImageManifest.Read(_folder.Combine("images.json")).ShouldHaveSingleItem().Digest.ShouldBe("sha256:feed");
    }

    [Fact]
    public void Push_PodmanToALoopbackRegistry_SkipsTlsAndReadsTheDigestFile()
    {
        _fixture.Runner.Respond = arguments =>
        {
            if (
                System.Text.RegularExpressions.Regex.Match(arguments, "--digestfile \"([^\"]+)\"") is
                { Success: true } file
            )
            {
                File.WriteAllText(file.Groups[1].Value, "sha256:cafe\n");
            }

            return null;
        };
        var image = new BuiltImage("pipeline-train", "127.0.0.1:5055/pipeline-train", ["3f1c2a9-7"], "sha256:2e");

        var pushed = ImagePusher.Push(
            _fixture.Context,
            [image],
            new ContainerTool("podman", _fixture.Executable("podman")),
            null,
            new DirectoryPath(_folder.Path)
        );

        _fixture.Runner.Commands.ShouldHaveSingleItem().ShouldContain("--tls-verify=false");
        pushed.ShouldHaveSingleItem().Digest.ShouldBe("sha256:cafe");
    }

    [Fact]
    public void FromEnvironment_BothVariables_AreTheCredentials()
    {
        var variables = new Dictionary<string, string?>
        {
            ["REGISTRY_USERNAME"] = "ci",
            ["REGISTRY_PASSWORD"] = "s3cret",
        };

        RegistryCredentials
            .FromEnvironment(variables.GetValueOrDefault)
            .ShouldBe(new RegistryCredentials("ci", "s3cret"));
        RegistryCredentials.FromEnvironment(_ => null).ShouldBeNull();
    }
}
