using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

public sealed class ResumeAndCheckoutTests
{
    [Fact]
    public async Task Pull_AfterAnInterruptedPull_CompletesWithoutRefetchingFinishedObjects()
    {
        using var temp = new TempDirectory("resume");
        var clone = FixtureRepos.CloneV3(temp);
        var trainObject = temp.Combine("remote", "files", "md5", "72", "3ad71547f5f8f35a97a9502e8d3a9b");
        var held = trainObject + ".held";
        File.Move(trainObject, held);
        // The first run stops partway: train.csv's object is unavailable, the others arrive.
        await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));
        var cache = Path.Combine(clone, ".dvc", "cache", "files", "md5");
        var finished = Directory
            .EnumerateFiles(cache, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        finished.Count.ShouldBe(4);
        // A killed process can leave a partial temp file behind; it must not count as an object.
        File.WriteAllText(Path.Combine(cache, "72", ".3ad71547f5f8f35a97a9502e8d3a9b.dead.tmp"), "partial");
        File.Move(held, trainObject);

        var result = await FixtureRepos.PullAsync(clone);

        result.Fetched.ShouldBe(1);
        foreach (var (path, written) in finished)
        {
            File.GetLastWriteTimeUtc(path).ShouldBe(written);
        }

        File.ReadAllBytes(Path.Combine(clone, "data", "train.csv"))
            .ShouldBe(File.ReadAllBytes(FixtureRepos.V3Workspace("data", "train.csv")));
    }

    [Fact]
    public async Task Push_AfterAnInterruptedPush_SendsOnlyWhatIsMissing()
    {
        using var temp = new TempDirectory("resume");
        var repo = CompatibilityTests.NewRepoWithFixtureData(temp);
        File.WriteAllText(
            Path.Combine(repo.DvcDirectory, "config"),
            File.ReadAllText(FixtureRepos.V3Workspace(".dvc", "config"))
        );
        repo = DvcRepository.Open(repo.Root);
        DataAdd.Add(repo, "data/train.csv");
        DataAdd.Add(repo, "images");
        await new DataTransfer(repo, new TransferOptions()).PushAsync(["data/train.csv"]);

        var result = await new DataTransfer(repo, new TransferOptions()).PushAsync(null);

        result.Pushed.ShouldBe(4);
        result.AlreadyOnRemote.ShouldBe(1);
    }

    [Fact]
    public async Task Pull_WorkspaceChangeNotInCache_IsNeverOverwritten()
    {
        using var temp = new TempDirectory("checkout");
        var clone = FixtureRepos.CloneV3(temp);
        var mine = Path.Combine(clone, "data", "train.csv");
        File.WriteAllText(mine, "review,sentiment\nmy unsaved row,positive\n");

        var error = await Should.ThrowAsync<DvcException>(() => FixtureRepos.PullAsync(clone));

        error.Message.ShouldContain("data/train.csv");
        error.Message.ShouldContain("--force");
        File.ReadAllText(mine).ShouldBe("review,sentiment\nmy unsaved row,positive\n");
        Directory.Exists(Path.Combine(clone, "images")).ShouldBeFalse();
    }

    [Fact]
    public async Task Pull_WithForce_OverwritesTheChange()
    {
        using var temp = new TempDirectory("checkout");
        var clone = FixtureRepos.CloneV3(temp);
        File.WriteAllText(Path.Combine(clone, "data", "train.csv"), "changed\n");

        var result = await FixtureRepos.PullAsync(clone, new TransferOptions { Force = true });

        result.Changes.ShouldContain(c => c.Kind == 'M' && c.Path == "data/train.csv");
        File.ReadAllBytes(Path.Combine(clone, "data", "train.csv"))
            .ShouldBe(File.ReadAllBytes(FixtureRepos.V3Workspace("data", "train.csv")));
    }

    [Fact]
    public async Task Pull_Twice_SecondIsUpToDateAndWritesNothing()
    {
        using var temp = new TempDirectory("checkout");
        var clone = FixtureRepos.CloneV3(temp);
        await FixtureRepos.PullAsync(clone);
        var written = File.GetLastWriteTimeUtc(Path.Combine(clone, "data", "train.csv"));

        var again = await FixtureRepos.PullAsync(clone);

        again.Changes.ShouldBeEmpty();
        again.Summary.ShouldBe("Everything is up to date.");
        File.GetLastWriteTimeUtc(Path.Combine(clone, "data", "train.csv")).ShouldBe(written);
    }

    [Fact]
    public async Task Pull_OneDataset_RestoresOnlyThatOutput()
    {
        using var temp = new TempDirectory("checkout");
        var clone = FixtureRepos.CloneV3(temp);

        var result = await FixtureRepos.PullAsync(clone, null, "data/train.csv");

        result.Changes.Select(c => c.Path).ShouldBe(["data/train.csv"]);
        Directory.Exists(Path.Combine(clone, "images")).ShouldBeFalse();
    }

    [Fact]
    public async Task Status_ReportsModifiedDeletedAndUnpushed()
    {
        using var temp = new TempDirectory("status");
        var repo = CompatibilityTests.NewRepoWithFixtureData(temp);
        File.WriteAllText(
            Path.Combine(repo.DvcDirectory, "config"),
            File.ReadAllText(FixtureRepos.V3Workspace(".dvc", "config"))
        );
        repo = DvcRepository.Open(repo.Root);
        DataAdd.Add(repo, "data/train.csv");
        DataAdd.Add(repo, "images");
        (await DataStatus.CheckAsync(repo, null, new TransferOptions())).ShouldBe(
            [new StatusEntry("train.csv", "not on remote"), new StatusEntry("images", "not on remote")],
            ignoreOrder: true
        );

        await new DataTransfer(repo, new TransferOptions()).PushAsync(null);
        File.AppendAllText(Path.Combine(repo.Root, "data", "train.csv"), "one more,positive\n");
        File.Delete(Path.Combine(repo.Root, "images", "empty.txt"));
        Directory.Delete(Path.Combine(repo.Root, "images"), recursive: true);

        var status = await DataStatus.CheckAsync(repo, null, new TransferOptions());

        status.ShouldBe(
            [new StatusEntry("train.csv", "modified"), new StatusEntry("images", "deleted")],
            ignoreOrder: true
        );
    }
}
