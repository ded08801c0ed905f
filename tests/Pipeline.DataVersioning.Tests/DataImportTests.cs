using System.Security.Cryptography;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>Importing a published archive, served by a real HTTP server on loopback, into a DVC workspace.</summary>
public sealed class DataImportTests : IDisposable
{
    private readonly TempDirectory _folder = new("data-import");
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    private static IReadOnlyList<string> CopyAsCsv(string archive, string output)
    {
        File.Copy(archive, Path.Combine(output, "data.csv"));
        return ["data.csv"];
    }

    private async Task<(StaticFileServer Server, string Sha256)> ServeAsync(string contents)
    {
        var served = _folder.Write("served/archive.bin", contents);
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(served)));
        return (await StaticFileServer.StartAsync(_folder.Combine("served")), digest);
    }

    [Fact]
    public async Task ImportAsync_DigestMatches_MovesTheFilesInPlaceAndTracksThem()
    {
        var (server, digest) = await ServeAsync("review,sentiment\nfine,positive\n");
        await using var _ = server;
        var repository = DvcRepository.Init(_folder.Combine("repo"));

        var files = await DataImport.ImportAsync(
            repository,
            new ImportRequest(new Uri($"{server.Url}/archive.bin"), digest.ToUpperInvariant(), "data/pub", CopyAsCsv),
            _http,
            _ => { }
        );

        files.ShouldHaveSingleItem().Path.ShouldBe(_folder.Combine("repo", "data", "pub", "data.csv"));
        File.ReadAllText(files[0].Path).ShouldBe("review,sentiment\nfine,positive\n");
        File.ReadAllText(files[0].Added.DvcFilePath).ShouldContain("path: data.csv");
        Directory.EnumerateFileSystemEntries(Path.Combine(repository.DvcDirectory, "tmp")).ShouldBeEmpty();
    }

    [Fact]
    public async Task ImportAsync_DigestDiffers_RefusesAndLeavesTheOldFile()
    {
        var (server, digest) = await ServeAsync("truncated");
        await using var _ = server;
        var repository = DvcRepository.Init(_folder.Combine("repo"));
        var old = _folder.Write("repo/data/pub/data.csv", "old rows");
        var published = new string('a', 64);

        var ex = await Should.ThrowAsync<DvcException>(() =>
            DataImport.ImportAsync(
                repository,
                new ImportRequest(new Uri($"{server.Url}/archive.bin"), published, "data/pub", CopyAsCsv),
                _http,
                _ => { }
            )
        );

        ex.Message.ShouldContain($"SHA-256 is {digest}, not the published {published}");
        File.ReadAllText(old).ShouldBe("old rows");
        File.Exists(old + ".dvc").ShouldBeFalse();
    }

    [Fact]
    public async Task ImportAsync_NotFound_NamesTheUrlAndStatus()
    {
        var (server, digest) = await ServeAsync("x");
        await using var _ = server;
        var repository = DvcRepository.Init(_folder.Combine("repo"));

        var ex = await Should.ThrowAsync<DvcException>(() =>
            DataImport.ImportAsync(
                repository,
                new ImportRequest(new Uri($"{server.Url}/missing.tar.gz"), digest, "data/pub", CopyAsCsv),
                _http,
                _ => { }
            )
        );

        ex.Message.ShouldBe($"{server.Url}/missing.tar.gz: the download answered 404 Not Found.");
    }

    [Fact]
    public async Task ImportAsync_ServerDown_SaysTheDownloadFailed()
    {
        var repository = DvcRepository.Init(_folder.Combine("repo"));
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}/archive.bin";

        var ex = await Should.ThrowAsync<DvcException>(() =>
            DataImport.ImportAsync(
                repository,
                new ImportRequest(new Uri(url), new string('0', 64), "d", CopyAsCsv),
                _http,
                _ => { }
            )
        );

        ex.Message.ShouldStartWith($"{url}: the download failed:");
    }
}
