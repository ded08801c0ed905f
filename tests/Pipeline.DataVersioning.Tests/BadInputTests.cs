using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>Each bad input ends in a clear error and an unchanged workspace.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Pull_NoRemoteConfigured_SaysHowToAddOne()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);
        File.WriteAllText(Path.Combine(clone, ".dvc", "config"), string.Empty);

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain("no remote is configured");
        AssertUntouched(clone);
    }

    [Fact]
    public async Task Pull_UnknownRemoteName_ListsTheConfiguredOnes()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);

        var error = await Should.ThrowAsync<DvcException>(() =>
            FixtureRepos.PullAsync(clone, new TransferOptions { RemoteName = "Backup" })
        );

        error.Message.ShouldContain("unknown remote 'backup'. Configured remotes: localremote.");
        AssertUntouched(clone);
    }

    [Fact]
    public async Task Pull_LocalRemoteFolderMissing_IsUnreachable()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);
        Directory.Delete(temp.Combine("remote"), recursive: true);

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain($"remote 'localremote' ({temp.Combine("remote")}) is unreachable");
        AssertUntouched(clone);
    }

    [Fact]
    public async Task Pull_HttpRemoteNobodyListensOn_IsUnreachable()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);
        var port = LoopbackPort.Free();
        File.WriteAllText(
            Path.Combine(clone, ".dvc", "config"),
            $"[core]\n    remote = web\n['remote \"web\"']\n    url = http://127.0.0.1:{port}/dvc\n"
        );

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain($"remote 'web' (http://127.0.0.1:{port}/dvc/) is unreachable");
        AssertUntouched(clone);
    }

    [Fact]
    public async Task Pull_SeveralObjectsMissing_ListsEveryOne()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);
        File.Delete(temp.Combine("remote", "files", "md5", "72", "3ad71547f5f8f35a97a9502e8d3a9b"));
        File.Delete(temp.Combine("remote", "files", "md5", "a2", "e06a20245eb545f9638a943a525309"));
        File.Delete(temp.Combine("remote", "files", "md5", "35", "39aef276dd6a523cb03345f760529d"));

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain("md5: 723ad71547f5f8f35a97a9502e8d3a9b (data/train.csv");
        error.Message.ShouldContain("md5: a2e06a20245eb545f9638a943a525309 (images/Logo.pgm");
        error.Message.ShouldContain("md5: 3539aef276dd6a523cb03345f760529d (images/thumbs/logo-small.pgm");
        AssertUntouched(clone);
    }

    [Fact]
    public async Task Pull_MalformedDvcFile_NamesTheFileAndLine()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);
        var dvcFile = Path.Combine(clone, "images.dvc");
        File.WriteAllText(dvcFile, "outs:\n- md5: 0a2b85d8e6320c3ae48c79ac02cfe077.dir\n  size: [36\n  path: images\n");

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldStartWith($"{dvcFile}:");
        error.Message.ShouldContain("malformed YAML");
        AssertUntouched(clone);
    }

    [Theory]
    [InlineData("outs: 3\n", "'outs' must be a list")]
    [InlineData("outs:\n- size: 3\n", "has no 'path'")]
    [InlineData("outs:\n- path: ../../etc/passwd\n", "must be relative")]
    [InlineData("stages: []\n", "unknown top-level key 'stages'")]
    [InlineData("outs:\n- md5: nothex\n  path: x\n", "'nothex' is not an md5")]
    public void Load_InvalidDvcFile_FailsWithLine(string yaml, string message)
    {
        using var temp = new TempDirectory("bad");
        var path = temp.Write("x.dvc", yaml);

        var error = Should.Throw<DvcException>(() => DvcFile.Load(path).Outs.Select(o => o.Id).ToList());

        error.Message.ShouldStartWith(path + ":");
        error.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("thumbs/../../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public async Task Pull_ManifestWithPathTraversal_IsRefusedAndWritesNothing(string relpath)
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);
        var manifest = System.Text.Encoding.UTF8.GetBytes(
            $"[{{\"md5\": \"d41d8cd98f00b204e9800998ecf8427e\", \"relpath\": \"{relpath}\"}}]"
        );
        var id = ContentHasher.Md5(manifest);
        var remoteObject = temp.Combine("remote", "files", "md5", id[..2], id[2..] + ".dir");
        Directory.CreateDirectory(Path.GetDirectoryName(remoteObject)!);
        File.WriteAllBytes(remoteObject, manifest);
        File.WriteAllText(
            Path.Combine(clone, "images.dvc"),
            $"outs:\n- md5: {id}.dir\n  size: 0\n  nfiles: 1\n  hash: md5\n  path: images\n"
        );

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain("path traversal refused");
        File.Exists(temp.Combine("clone", "escape.txt")).ShouldBeFalse();
        File.Exists(temp.Combine("escape.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task Pull_UnknownDatasetTarget_NamesIt()
    {
        using var temp = new TempDirectory("bad");
        var clone = FixtureRepos.CloneV3(temp);

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone, null, "data/nope.csv"));

        error.Message.ShouldContain("--dataset: 'data/nope.csv' is not tracked by any .dvc file");
    }

    [Fact]
    public void Open_FolderWithoutDvc_SaysSo()
    {
        using var temp = new TempDirectory("bad");

        Should
            .Throw<DvcException>(() => DvcRepository.Open(temp.Path))
            .Message.ShouldContain("is not in a DVC repository");
    }

    private static void AssertUntouched(string clone)
    {
        File.Exists(Path.Combine(clone, "data", "train.csv")).ShouldBeFalse();
        Directory.Exists(Path.Combine(clone, "images")).ShouldBeFalse();
    }
}
