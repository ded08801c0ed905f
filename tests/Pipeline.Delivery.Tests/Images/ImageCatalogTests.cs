using Pipeline.Delivery.Images;
using Pipeline.Testing;

namespace Pipeline.Delivery.Tests.Images;

public sealed class ImageCatalogTests
{
    private static ImageCatalog Repository() =>
        ImageCatalog.Load(Path.Combine(Fixtures.RepositoryRoot, ImageCatalog.DefaultPath));

    [Fact]
    public void Load_RepositoryConfig_ListsEveryServiceImageWithItsDockerfileAndProject()
    {
        var catalog = Repository();

        catalog
            .Images.Select(i => i.Name)
            .ShouldBe(["sentiment-api", "playlist-api", "pipeline-train", "pipeline-datasets", "pipeline-watcher"]);
        foreach (var image in catalog.Images)
        {
            File.Exists(Path.Combine(Fixtures.RepositoryRoot, image.Dockerfile)).ShouldBeTrue(image.Dockerfile);
            File.Exists(Path.Combine(Fixtures.RepositoryRoot, image.Project)).ShouldBeTrue(image.Project);
        }

        catalog.ServiceOf("sentiment")!.Name.ShouldBe("sentiment-api");
        catalog.ServiceOf("sentiment")!.ServeSetting("model_path").ShouldBe("Sentiment:ModelPath");
        catalog.ServiceOf("playlist")!.Name.ShouldBe("playlist-api");
    }

    [Fact]
    public void Select_ForAWorkload_LeavesOutTheOtherWorkloadsImagesAndRefusesNamingThem()
    {
        var catalog = Repository();

        var playlist = catalog.Select([], "playlist").Select(i => i.Name);
        var error = Should.Throw<DeliveryException>(() => catalog.Select(["sentiment-api"], "playlist"));

        playlist.ShouldBe(["playlist-api", "pipeline-train", "pipeline-datasets", "pipeline-watcher"]);
        error.Message.ShouldContain("'sentiment-api' serves the 'sentiment' model");
    }

    [Fact]
    public void ServeArguments_AppWithoutADatabase_GetsNoDatabaseSetting()
    {
        var playlist = Repository().ServiceOf("playlist")!;

        playlist
            .ServeArguments(8080, 9090, "/m", "/db")
            .ShouldBe([
                "--urls",
                "http://127.0.0.1:8080;http://127.0.0.1:9090",
                "--Playlist:ManagementPort=9090",
                "--Playlist:ModelPath=/m",
            ]);
    }

    [Fact]
    public void Labels_ImageWithTheModel_CarryTheModelRun()
    {
        var catalog = Repository();
        var api = catalog.Images.Single(i => i.Name == "sentiment-api");

        catalog
            .Labels(api, "1.4.0", "3f1c2a9", "0123abcd")
            .ShouldBe(
                new Dictionary<string, string>
                {
                    ["org.opencontainers.image.title"] = "sentiment-api",
                    ["org.opencontainers.image.source"] = catalog.Source,
                    ["org.opencontainers.image.revision"] = "3f1c2a9",
                    ["org.opencontainers.image.version"] = "1.4.0",
                    ["io.pipeline.model.run-id"] = "0123abcd",
                }
            );
    }

    [Fact]
    public void Labels_ImageWithoutTheModel_NameNoModelRun()
    {
        var catalog = Repository();
        var watcher = catalog.Images.Single(i => i.Name == "pipeline-watcher");

        var labels = catalog.Labels(watcher, "1.4.0", "3f1c2a9", "0123abcd");

        labels["org.opencontainers.image.title"].ShouldBe("pipeline-watcher");
        labels.Keys.ShouldNotContain("io.pipeline.model.run-id");
    }

    [Fact]
    public void Select_UnknownImage_NamesTheKnownOnes() =>
        Should
            .Throw<DeliveryException>(() => Repository().Select(["nope"]))
            .Message.ShouldBe(
                "--image: unknown image 'nope'; known: sentiment-api, playlist-api, pipeline-train, pipeline-datasets, pipeline-watcher."
            );

    [Theory]
    [InlineData("{ \"images\": [] }", "'images' must be a non-empty list.")]
    [InlineData("{ \"images\": [ { \"name\": \"a\", \"dockerfile\": \"D\" } ] }", "images[0].project is required.")]
    [InlineData(
        "{ \"images\": [ { \"name\": \"a\", \"dockerfile\": \"D\", \"project\": \"P\" }, { \"name\": \"a\", \"dockerfile\": \"D\", \"project\": \"P\" } ] }",
        "images[1].name 'a' is listed twice."
    )]
    [InlineData("{ \"images\": [", "not valid JSON")]
    public void Load_BadConfig_NamesTheFileAndField(string json, string message)
    {
        using var folder = new TempDirectory("images-config");
        var path = folder.Write("images.json", json);

        Should
            .Throw<DeliveryException>(() => ImageCatalog.Load(path))
            .Message.ShouldSatisfyAllConditions(m => m.ShouldStartWith(path), m => m.ShouldContain(message));
    }

    [Fact]
    public void ServeArguments_AppWithAManagementPort_ListensOnBothLoopbackPorts()
    {
        var api = new ImageSpec(
            "api",
            "Dockerfile",
            "Api.csproj",
            "m",
            new Dictionary<string, string>
            {
                ["model_path"] = "App:Model",
                ["database_path"] = "App:Db",
                ["management_port"] = "App:ManagementPort",
            }
        );
        var plain = api with
        {
            Serve = new Dictionary<string, string> { ["model_path"] = "App:Model", ["database_path"] = "App:Db" },
        };

        api.ServeArguments(8080, 9090, "/m", "/d.db")
            .ShouldBe([
                "--urls",
                "http://127.0.0.1:8080;http://127.0.0.1:9090",
                "--App:ManagementPort=9090",
                "--App:Model=/m",
                "--App:Db=/d.db",
            ]);
        plain
            .ServeArguments(8080, 9090, "/m", "/d.db")
            .ShouldBe(["--urls", "http://127.0.0.1:8080", "--App:Model=/m", "--App:Db=/d.db"]);
    }
}
