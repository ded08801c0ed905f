using System.Security.Cryptography;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>FetchDataset against a tarball in the published aclImdb layout, served on loopback (no network here).</summary>
public sealed class FetchDatasetTests : IDisposable
{
    private readonly TempDirectory _folder = new("fetch-dataset");

    public void Dispose() => _folder.Dispose();

    private async Task<(StaticFileServer Server, string Url, string Sha256)> ServeAsync(int perLabel = 4)
    {
        var archive = _folder.Combine("served", "aclImdb_v1.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        AclImdbArchive.Write(archive, AclImdbArchive.Invented(perLabel));
        var server = await StaticFileServer.StartAsync(_folder.Combine("served"));
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive)));
        return (server, $"{server.Url}/aclImdb_v1.tar.gz", digest);
    }

    [Fact]
    public async Task FetchDataset_MirrorWithTheRightDigest_WritesTrackedTrainAndTestCsvs()
    {
        var (server, url, digest) = await ServeAsync();
        await using var _ = server;
        var workspace = Directory.CreateDirectory(_folder.Combine("repo")).FullName;

        var result = BuildHost.For(workspace).Run("--target=FetchDataset", $"--url={url}", $"--sha256={digest}");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("the Large Movie Review Dataset");
        result.Output.ShouldContain($"SHA-256 {digest} matches");
        result.Output.ShouldContain("commit data/imdb/train.csv.dvc to git");
        File.ReadLines(Path.Combine(workspace, "data", "imdb", "train.csv"))
            .First()
            .ShouldBe("review,sentiment,rating,movie");
        File.Exists(Path.Combine(workspace, "data", "imdb", "test.csv.dvc")).ShouldBeTrue();
    }

    [Fact]
    public async Task FetchDatasetThenDefault_FetchedData_TrainsAModelOnItAsTheReadmeSays()
    {
        var (server, url, digest) = await ServeAsync(perLabel: 40);
        await using var _ = server;
        var workspace = Directory.CreateDirectory(_folder.Combine("repo")).FullName;
        GitFixture.InitWithCommit(workspace);
        var config = Path.Combine(workspace, "training.json");
        File.WriteAllText(
            config,
            """{ "model": "sentiment", "eval_dataset": "data/imdb/test.csv", "params": { "seed": 1, "split_group": "movie" }, "gate": { "floors": { "accuracy": 0.9 } } }"""
        );
        var host = BuildHost.For(workspace);
        host.Run("--target=FetchDataset", $"--url={url}", $"--sha256={digest}").ExitCode.ShouldBe(0);

        var result = host.Run("--dataset=data/imdb/train.csv", $"--config={config}");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain(
            $"Loaded 80 reviews from {Path.Combine(workspace, "data", "imdb", "train.csv")} (0 malformed skipped)"
        );
        result.Output.ShouldContain($"evaluating on 80 rows of the fixed evaluation set");
        File.Exists(Path.Combine(workspace, "artifacts", "model", "model.zip")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(workspace, "artifacts", "model", "lineage.json"))
            .ShouldContain("\"dataset_md5\": \"");
    }

    [Fact]
    public async Task FetchDataset_DownloadWithAnotherDigest_FailsAndWritesNoData()
    {
        var (server, url, digest) = await ServeAsync();
        await using var _ = server;
        var workspace = Directory.CreateDirectory(_folder.Combine("repo")).FullName;

        // No --sha256: the published digest is required, and the invented tarball does not have it.
        var result = BuildHost.For(workspace).Run("--target=FetchDataset", $"--url={url}");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(
            $"the download's SHA-256 is {digest}, not the published c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
        );
        Directory.Exists(Path.Combine(workspace, "data")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(
        "--public-dataset=playlists",
        "--public-dataset: 'playlists' is not a published dataset the workloads know; known: imdb."
    )]
    [InlineData("--sha256=abc", "--sha256: 'abc' is not a SHA-256 (64 hex digits).")]
    [InlineData("--url=not a url", "--url: 'not a url' is not an absolute URL.")]
    public void FetchDataset_BadArgument_NamesIt(string argument, string message)
    {
        var result = BuildHost.For(_folder.Path).Run("--target=FetchDataset", argument);

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(message);
    }
}
