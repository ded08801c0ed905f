using Cake.Core.IO;
using Pipeline.Delivery.Images;
using Pipeline.Testing;
using Path = System.IO.Path;

namespace Pipeline.Delivery.Tests.Images;

/// <summary>The BuildImages procedure against a recording process runner: the exact commands, and what images.json records.</summary>
public sealed class ImageBuilderTests : IDisposable
{
    private readonly ToolFixture _fixture = new("docker", "podman");
    private readonly TempDirectory _folder = new("image-builder");

    public void Dispose()
    {
        _fixture.Dispose();
        _folder.Dispose();
    }

    private ImageBuildRequest Request(string tool, params string[] images)
    {
        var catalog = ImageCatalog.Load(Path.Combine(Fixtures.RepositoryRoot, ImageCatalog.DefaultPath));
        _folder.Write("artifacts/model/MLmodel", "artifact_path: model\n");
        return new ImageBuildRequest(
            catalog,
            catalog.Select(images),
            "127.0.0.1:5055",
            "3f1c2a9-7",
            "3f1c2a9d",
            "run-1",
            new DirectoryPath(Fixtures.RepositoryRoot),
            new DirectoryPath(_folder.Combine("artifacts", "model")),
            new DirectoryPath(_folder.Combine("artifacts")),
            new ContainerTool(tool, _fixture.Executable(tool))
        );
    }

    // The real CLI writes the image id to --iidfile; the recording runner stands in for that.
    private void WriteImageIds() =>
        _fixture.Runner.Respond = arguments =>
        {
            if (arguments.Contains("--iidfile", StringComparison.Ordinal))
            {
                var iid = System
                    .Text.RegularExpressions.Regex.Match(arguments, "--iidfile \"([^\"]+)\"")
                    .Groups[1]
                    .Value;
                File.WriteAllText(iid, "sha256:" + Path.GetFileNameWithoutExtension(iid) + "\n");
            }

            return null;
        };

    [Fact]
    public void Build_Podman_TagsLabelsAndRecordsEachImage()
    {
        WriteImageIds();

        var built = ImageBuilder.Build(_fixture.Context, Request("podman", "sentiment-api", "pipeline-watcher"));

        built
            .Select(i => (i.Repository, i.ImageId))
            .ShouldBe([
                ("127.0.0.1:5055/sentiment-api", "sha256:sentiment-api"),
                ("127.0.0.1:5055/pipeline-watcher", "sha256:pipeline-watcher"),
            ]);
        var api = _fixture.Runner.Commands.First(c => c.Contains("sentiment-api:latest", StringComparison.Ordinal));
        api.ShouldContain("--format \"docker\""); // podman's OCI format would drop HEALTHCHECK
        api.ShouldContain("--label \"io.pipeline.model.run-id=run-1\"");
        api.ShouldContain(
            "--tag \"127.0.0.1:5055/sentiment-api:3f1c2a9-7\" --tag \"127.0.0.1:5055/sentiment-api:latest\" --target \"runtime\""
        );
        _fixture.Runner.Commands[^1].ShouldNotContain("io.pipeline.model.run-id");
        var manifest = ImageManifest.Read(_folder.Combine("artifacts", "images.json"));
        manifest
            .Select(i => i.DeployReference)
            .ShouldBe(["127.0.0.1:5055/sentiment-api:3f1c2a9-7", "127.0.0.1:5055/pipeline-watcher:3f1c2a9-7"]);
    }

    [Fact]
    public void Build_DockerWithBuildx_UsesBuildxAndLoads()
    {
        WriteImageIds(); // every command succeeds, so `docker buildx version` reports buildx

        ImageBuilder.Build(_fixture.Context, Request("docker", "pipeline-train"));

        _fixture.Runner.Commands[0].ShouldBe("buildx version");
        _fixture.Runner.Commands[1].ShouldStartWith("buildx build ");
        _fixture.Runner.Commands[1].ShouldContain("--load");
    }

    [Fact]
    public void Build_ImageWithTheModelButNoModelExtracted_FailsBeforeBuilding()
    {
        var request = Request("podman", "sentiment-api");
        File.Delete(_folder.Combine("artifacts", "model", "MLmodel"));

        Should
            .Throw<DeliveryException>(() => ImageBuilder.Build(_fixture.Context, request))
            .Message.ShouldContain("has no MLmodel, so it holds no extracted model; run ExtractModel");
        _fixture.Runner.Runs.ShouldBeEmpty();
    }
}
