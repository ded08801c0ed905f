using Pipeline.Cake.Images;

namespace Pipeline.Cake.Tests.Images;

public sealed class ImageSpecTests
{
    [Fact]
    public void Labels_ImageWithTheModel_CarryTheModelRun()
    {
        var api = ImageSpec.All.Single(i => i.Name == "sentiment-api");

        ImageSpec.Labels(api, "1.4.0", "3f1c2a9", "0123abcd").ShouldBe(new Dictionary<string, string>
        {
            ["org.opencontainers.image.title"] = "sentiment-api",
            ["org.opencontainers.image.source"] = ImageSpec.Source,
            ["org.opencontainers.image.revision"] = "3f1c2a9",
            ["org.opencontainers.image.version"] = "1.4.0",
            ["io.pipeline.model.run-id"] = "0123abcd",
        });
    }

    [Fact]
    public void Labels_ImageWithoutTheModel_NameNoModelRun()
    {
        var watcher = ImageSpec.All.Single(i => i.Name == "pipeline-watcher");

        var labels = ImageSpec.Labels(watcher, "1.4.0", "3f1c2a9", "0123abcd");

        labels["org.opencontainers.image.title"].ShouldBe("pipeline-watcher");
        labels.Keys.ShouldNotContain("io.pipeline.model.run-id");
    }
}
