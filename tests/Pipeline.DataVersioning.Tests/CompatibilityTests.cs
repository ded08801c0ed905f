using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>The proof against files and remotes written by the real DVC 3.0.</summary>
public sealed class CompatibilityTests
{
    [Fact]
    public async Task Pull_V3Fixture_GivesByteIdenticalFilesAndDvcsOutput()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp);

        var result = await FixtureRepos.PullAsync(clone);

        File.ReadAllBytes(Path.Combine(clone, "data", "train.csv"))
            .ShouldBe(File.ReadAllBytes(FixtureRepos.V3Workspace("data", "train.csv")));
        FixtureRepos
            .Snapshot(Path.Combine(clone, "images"))
            .ShouldBe(FixtureRepos.Snapshot(FixtureRepos.V3Workspace("images")));
        // Real dvc pull printed: "A       images/", "A       data/train.csv", "2 files added and 5 files fetched".
        var expected = File.ReadAllText(Fixtures.Path("dvc", "corrupted", "pull", "baseline.stdout"))
            .TrimEnd('\n')
            .Split('\n');
        result
            .Changes.Select(c => c.ToString())
            .Order(StringComparer.Ordinal)
            .ShouldBe(expected[..2].Order(StringComparer.Ordinal));
        result.Summary.ShouldBe(expected[2]);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Pull_V3Fixture_FillsTheCacheWithReadOnlyObjectsLikeDvcs()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp);

        await FixtureRepos.PullAsync(clone);

        var cache = Path.Combine(clone, ".dvc", "cache");
        FixtureRepos.Snapshot(cache).ShouldBe(FixtureRepos.Snapshot(FixtureRepos.V3Workspace(".dvc", "cache")));
        File.GetUnixFileMode(Path.Combine(cache, "files", "md5", "72", "3ad71547f5f8f35a97a9502e8d3a9b"))
            .ShouldBe(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    [Fact]
    public async Task Pull_LegacyFixture_RestoresTheCrlfBytesThroughTheLegacyLayout()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneLegacy(temp);

        var result = await FixtureRepos.PullAsync(clone);

        File.ReadAllBytes(Path.Combine(clone, "data", "legacy.csv"))
            .ShouldBe(File.ReadAllBytes(Fixtures.Path("dvc", "legacy-v2", "repo", "data", "legacy.csv")));
        File.Exists(Path.Combine(clone, ".dvc", "cache", "6b", "b327b97ba6a6083b01b36abb783441")).ShouldBeTrue();
        result.Summary.ShouldBe("1 file added and 1 file fetched");
    }

    [Fact]
    public void Add_FixtureInputs_WritesTheFixturesDvcFilesByteForByte()
    {
        using var temp = new TempDirectory("dvc");
        var repo = NewRepoWithFixtureData(temp);

        DataAdd.Add(repo, "data/train.csv");
        DataAdd.Add(repo, "images");

        File.ReadAllText(Path.Combine(repo.Root, "data", "train.csv.dvc"))
            .ShouldBe(File.ReadAllText(FixtureRepos.V3Workspace("data", "train.csv.dvc")));
        File.ReadAllText(Path.Combine(repo.Root, "images.dvc"))
            .ShouldBe(File.ReadAllText(FixtureRepos.V3Workspace("images.dvc")));
        File.ReadAllText(Path.Combine(repo.Root, "data", ".gitignore"))
            .ShouldBe(File.ReadAllText(FixtureRepos.V3Workspace("data", "gitignore.txt")));
        File.ReadAllText(Path.Combine(repo.Root, ".gitignore"))
            .ShouldBe(File.ReadAllText(FixtureRepos.V3Workspace("gitignore.txt")));
    }

    [Fact]
    public void Add_FixtureInputs_FillsTheCacheExactlyAsDvcDid()
    {
        using var temp = new TempDirectory("dvc");
        var repo = NewRepoWithFixtureData(temp);

        var images = DataAdd.Add(repo, "images");
        DataAdd.Add(repo, "data/train.csv");

        images.Id.Value.ShouldBe(FixtureRepos.ImagesId);
        FixtureRepos
            .Snapshot(repo.Cache.Root)
            .ShouldBe(FixtureRepos.Snapshot(FixtureRepos.V3Workspace(".dvc", "cache")));
    }

    [Fact]
    public async Task Push_AfterAdd_WritesTheSameRemoteObjectsAsDvcPush()
    {
        using var temp = new TempDirectory("dvc");
        var repo = NewRepoWithFixtureData(temp);
        File.WriteAllText(
            Path.Combine(repo.DvcDirectory, "config"),
            File.ReadAllText(FixtureRepos.V3Workspace(".dvc", "config"))
        );
        repo = DvcRepository.Open(repo.Root);
        DataAdd.Add(repo, "data/train.csv");
        DataAdd.Add(repo, "images");

        var result = await new DataTransfer(repo, new TransferOptions()).PushAsync(null);

        result.Pushed.ShouldBe(5); // real dvc push printed "5 files pushed"
        FixtureRepos
            .Snapshot(temp.Combine("remote"))
            .ShouldBe(FixtureRepos.Snapshot(Fixtures.Path("dvc", "v3", "remote")));
    }

    [Fact]
    public async Task Pull_CorruptedRemoteThatDvcAccepts_IsRejectedNamingFileMd5sAndRemote()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp, remote: "corrupted/remote");
        // Real DVC with verify = false pulled these bytes and exited 0 (fixtures: pull/verify-false.*).
        File.ReadAllText(Fixtures.Path("dvc", "corrupted", "pull", "verify-false.exitcode")).Trim().ShouldBe("0");

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain("data/train.csv");
        error.Message.ShouldContain($"hashes to md5 {FixtureRepos.CorruptMd5}, expected {FixtureRepos.TrainMd5}");
        error.Message.ShouldContain($"remote 'localremote' ({temp.Combine("remote")})");
        File.Exists(Path.Combine(clone, "data", "train.csv")).ShouldBeFalse();
        Directory.Exists(Path.Combine(clone, "images")).ShouldBeFalse();
        File.Exists(Path.Combine(clone, ".dvc", "cache", "files", "md5", "72", "3ad71547f5f8f35a97a9502e8d3a9b"))
            .ShouldBeFalse();
        // DVC deletes writable corrupt objects from a local remote; we never delete from a remote.
        File.Exists(temp.Combine("remote", "files", "md5", "72", "3ad71547f5f8f35a97a9502e8d3a9b")).ShouldBeTrue();
    }

    [Fact]
    public async Task Pull_CorruptedRemote_LeavesAnExistingWorkspaceFileUntouched()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp, remote: "corrupted/remote");
        var mine = Path.Combine(clone, "data", "train.csv");
        File.WriteAllText(mine, "my own edits\n");

        await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        File.ReadAllText(mine).ShouldBe("my own edits\n");
    }

    [Fact]
    public async Task Pull_ObjectMissingFromRemote_ListsItLikeDvcAndChangesNothing()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp);
        File.Delete(temp.Combine("remote", "files", "md5", "72", "3ad71547f5f8f35a97a9502e8d3a9b"));

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain("Missing cache files");
        error.Message.ShouldContain($"md5: {FixtureRepos.TrainMd5} (data/train.csv");
        Directory.Exists(Path.Combine(clone, "images")).ShouldBeFalse();
    }

    [Fact]
    public async Task Pull_DirManifestMissing_FailsWhereDvcExitedZero()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp);
        File.Delete(temp.Combine("remote", "files", "md5", "0a", "2b85d8e6320c3ae48c79ac02cfe077.dir"));
        File.ReadAllText(Fixtures.Path("dvc", "corrupted", "pull", "missing-dir.exitcode")).Trim().ShouldBe("0");

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain($"md5: {FixtureRepos.ImagesId} (images");
        File.Exists(Path.Combine(clone, "data", "train.csv")).ShouldBeFalse();
    }

    [Fact]
    public async Task Pull_FromARealHttpServer_GivesByteIdenticalFiles()
    {
        using var temp = new TempDirectory("dvc");
        var clone = FixtureRepos.CloneV3(temp);
        await using var server = await StaticFileServer.StartAsync(temp.Combine("remote"));
        File.WriteAllText(
            Path.Combine(clone, ".dvc", "config"),
            $"[core]\n    remote = web\n['remote \"web\"']\n    url = {server.Url}/\n"
        );

        var result = await FixtureRepos.PullAsync(clone);

        result.Fetched.ShouldBe(5);
        File.ReadAllBytes(Path.Combine(clone, "data", "train.csv"))
            .ShouldBe(File.ReadAllBytes(FixtureRepos.V3Workspace("data", "train.csv")));
        FixtureRepos
            .Snapshot(Path.Combine(clone, "images"))
            .ShouldBe(FixtureRepos.Snapshot(FixtureRepos.V3Workspace("images")));
    }

    [Fact]
    public async Task Push_ToAnHttpRemote_FailsAsReadOnly()
    {
        using var temp = new TempDirectory("dvc");
        var repo = NewRepoWithFixtureData(temp);
        File.WriteAllText(
            Path.Combine(repo.DvcDirectory, "config"),
            "[core]\n    remote = web\n['remote \"web\"']\n    url = http://127.0.0.1:9/\n"
        );
        repo = DvcRepository.Open(repo.Root);
        DataAdd.Add(repo, "data/train.csv");

        var error = await Should.ThrowAsync<DvcException>(() =>
            new DataTransfer(repo, new TransferOptions()).PushAsync(null)
        );

        error.Message.ShouldContain("read-only");
    }

    [Fact]
    public void Manifest_FixtureImages_SerializesToTheFixturesBytesAndId()
    {
        var fixture = File.ReadAllBytes(
            FixtureRepos.V3Workspace(".dvc", "cache", "files", "md5", "0a", "2b85d8e6320c3ae48c79ac02cfe077.dir")
        );

        var manifest = DirManifest.Parse(fixture, "fixture");

        manifest.Serialize().ShouldBe(fixture);
        manifest.Id().Value.ShouldBe(FixtureRepos.ImagesId);
    }

    internal static DvcRepository NewRepoWithFixtureData(TempDirectory temp)
    {
        var root = temp.Combine("repo");
        Directory.CreateDirectory(root);
        ExternalTools.Run("git", ["init", "-q", root], TimeSpan.FromSeconds(30)).ExitCode.ShouldBe(0);
        var repo = DvcRepository.Init(root);
        Fixtures.CopyTree(FixtureRepos.V3Workspace("images"), Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.Copy(FixtureRepos.V3Workspace("data", "train.csv"), Path.Combine(root, "data", "train.csv"));
        return repo;
    }
}
