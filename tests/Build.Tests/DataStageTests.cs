using Pipeline.Testing;

namespace Pipeline.Build.Tests;

public sealed class DataStageTests
{
    [Fact]
    public void PullDataset_RepositoryWithoutDvcFiles_LogsAndDoesNothing()
    {
        using var folder = new TempDirectory("stage");

        var result = BuildHost.For(folder.Path).Run("--target=PullDataset", "--exclusive");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("tracks no data with DVC (no .dvc files, no dvc.lock outputs); nothing to pull.");
    }

    [Fact]
    public void PullDataset_AnotherRepositoryByWorking_PullsAndRecordsTheMd5s()
    {
        using var temp = new TempDirectory("stage");
        var clone = DvcFixtures.CloneV3(temp);
        using var elsewhere = new TempDirectory("stage-cwd");

        var result = BuildHost.For(elsewhere.Path).Run("--target=PullDataset", "--exclusive", $"--working={clone}");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("A       data/train.csv");
        result.Output.ShouldContain("2 files added and 5 files fetched");
        var summary = File.ReadAllText(Path.Combine(clone, "artifacts", "summary.md"));
        summary.ShouldContain("`data/train.csv` md5 `723ad71547f5f8f35a97a9502e8d3a9b`");
        summary.ShouldContain("`images` md5 `0a2b85d8e6320c3ae48c79ac02cfe077.dir`");
    }

    [Fact]
    public void PullDataset_OneNamedDataset_PullsOnlyIt()
    {
        using var temp = new TempDirectory("stage");
        var clone = DvcFixtures.CloneV3(temp);

        var result = BuildHost.For(clone).Run("--target=PullDataset", "-e", "--dataset=data/train.csv");

        result.ExitCode.ShouldBe(0, result.Output);
        Directory.Exists(Path.Combine(clone, "images")).ShouldBeFalse();
    }

    [Fact]
    public void PullDataset_CorruptRemote_FailsNonZeroNamingTheFile()
    {
        using var temp = new TempDirectory("stage");
        var clone = DvcFixtures.CloneV3(temp, remote: "corrupted/remote");

        var result = BuildHost.For(clone).Run("--target=PullDataset", "-e");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("Corrupt: data/train.csv");
        File.Exists(Path.Combine(clone, "data", "train.csv")).ShouldBeFalse();
    }

    [Fact]
    public void AddDatasetThenPushDataset_NewRepository_TracksAndUploads()
    {
        using var temp = new TempDirectory("stage");
        var root = temp.Combine("repo");
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(root, "data", "reviews.csv"), "review,sentiment\ngood,positive\n");

        var add = BuildHost.For(root).Run("--target=AddDataset", "--path=data/reviews.csv");
        File.WriteAllText(
            Path.Combine(root, ".dvc", "config"),
            "[core]\n    remote = store\n['remote \"store\"']\n    url = ../../store\n"
        );
        var push = BuildHost.For(root).Run("--target=PushDataset");

        add.ExitCode.ShouldBe(0, add.Output);
        File.ReadAllText(Path.Combine(root, "data", "reviews.csv.dvc")).ShouldContain("  path: reviews.csv\n");
        push.ExitCode.ShouldBe(0, push.Output);
        push.Output.ShouldContain("PushDataset: 1 file pushed");
        Directory.EnumerateFiles(temp.Combine("store"), "*", SearchOption.AllDirectories).Count().ShouldBe(1);
    }

    [Fact]
    public void AddDataset_WithoutPath_FailsNamingTheArgument()
    {
        using var folder = new TempDirectory("stage");

        var result = BuildHost.For(folder.Path).Run("--target=AddDataset");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("--path is required: the file or folder to track.");
    }

    [Theory]
    [InlineData("DataAdd", "AddDataset")]
    [InlineData("DataPush", "PushDataset")]
    [InlineData("DataStatus", "DatasetStatus")]
    [InlineData("DataVersion", "DatasetVersion")]
    public void DeprecatedDataTarget_Runs_AndSaysWhatToCallInstead(string old, string replacement)
    {
        using var folder = new TempDirectory("stage");

        var result = BuildHost.For(folder.Path).Run($"--target={old}");

        result.Output.ShouldContain($"{old} is deprecated; use --target={replacement}.");
    }

    [Fact]
    public void DatasetVersion_SourceMissingAColumn_FailsAndWritesNothing()
    {
        using var folder = new TempDirectory("stage");
        folder.Write("full.csv", "text\nhello\n");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=DatasetVersion", "--source=full.csv", "--dataset-version=1", "--out=v1.csv");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("full.csv:1: missing column(s) 'review', 'sentiment'");
        File.Exists(folder.Combine("v1.csv")).ShouldBeFalse();
    }

    [Fact]
    public void DatasetVersion_ValidSource_WritesTheSlice()
    {
        using var folder = new TempDirectory("stage");
        folder.Write("full.csv", "review,sentiment\na,positive\nb,negative\nc,positive\n");

        var result = BuildHost
            .For(folder.Path)
            .Run(
                "--target=DatasetVersion",
                "--source=full.csv",
                "--version=1",
                "--out=out/v1.csv",
                "--versions=1=2,2=all"
            );

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("--version is deprecated; use --dataset-version.");
        File.ReadAllText(folder.Combine("out", "v1.csv")).ShouldBe("review,sentiment\na,positive\nb,negative\n");
    }
}
