using Pipeline.Cake.BuildServers;

namespace Pipeline.Cake.Tests.BuildServers;

public sealed class BuildVersionTests
{
    private static BuildServerInfo Server(string? commit, string buildNumber) =>
        new(BuildServerKind.Jenkins, commit, "main", buildNumber, null, null);

    [Fact]
    public void From_CommitAndBuildNumber_IsShortCommitDashNumber()
    {
        var version = BuildVersion.From(Server("3F1C2A9D8E7B6A5F4E3D2C1B0A9F8E7D6C5B4A39", "42"));

        version.Version.ShouldBe("3f1c2a9-42");
        version.Commit.ShouldBe("3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39");
        version.ShortCommit.ShouldBe("3f1c2a9");
    }

    [Fact]
    public void ImageTags_WithLatest_KeepsTheImmutableTagFirst()
    {
        var version = BuildVersion.From(Server("3f1c2a9d8e", "7"));

        version.ImageTags(includeLatest: true).ShouldBe(["3f1c2a9-7", "latest"]);
        version.ImageTags(includeLatest: false).ShouldBe(["3f1c2a9-7"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not-a-sha-at-all")]
    public void From_MissingOrInvalidCommit_UsesTheUnknownCommit(string? commit)
    {
        BuildVersion.From(Server(commit, "1")).Version.ShouldBe("0000000-1");
    }

    [Theory]
    [InlineData("local", "local")]
    [InlineData("12 (retry)", "12--retry-")]
    [InlineData("-5", "5")]
    [InlineData("..", "0")]
    public void From_BuildNumber_IsMadeTagSafe(string buildNumber, string expected)
    {
        BuildVersion.From(Server("abcdef1234", buildNumber)).BuildNumber.ShouldBe(expected);
    }
}
