using Pipeline.Testing;

namespace Pipeline.Build.Tests;

public sealed class BuildGraphTests
{
    [Fact]
    public void Tree_RealBuild_ShowsTheStagesUnderDefault()
    {
        using var folder = new TempDirectory("graph");

        var result = BuildHost.For(folder.Path).Run("--tree");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldStartWith("\nDefault\n├─Train\n│ └─PullDataset\n│    └─Checkout\n└─ExtractModel\n");
        result.Output.ShouldContain("\nPromote\n\n");
        result.Output.ShouldContain("\nRollback\n\n");
        result.Output.ShouldContain("\nSyncRuns\n\n");
        result.Output.ShouldContain("\nTest\n├─Build\n│ └─Restore\n└─TestTools\n");
        result.Output.ShouldContain("\nClean\n");
    }

    [Fact]
    public void Description_RealBuild_DescribesEveryTask()
    {
        using var folder = new TempDirectory("graph");

        var result = BuildHost.For(folder.Path).Run("--description");

        result.ExitCode.ShouldBe(0, result.Output);
        foreach (
            var task in new[]
            {
                "Checkout",
                "Clean",
                "Restore",
                "Build",
                "Test",
                "TestFast",
                "TestTools",
                "Help",
                "Default",
                "PullDataset",
                "PushDataset",
                "AddDataset",
                "DatasetStatus",
                "DatasetVersion",
                "DataAdd",
                "DataPush",
                "DataStatus",
                "DataVersion",
                "Train",
                "ExtractModel",
                "Promote",
                "Rollback",
                "SyncRuns",
                "Serve",
                "CollectDaily",
                "CreateMonthly",
                "PublishDataset",
                "BuildImages",
                "PushImages",
                "Deploy",
            }
        )
        {
            result.Output.ShouldMatch($@"\n  {task}\s+\S");
        }
    }

    [Fact]
    public void DryRun_ExtractModelAsTheReadmeWritesIt_RunsNoTrainingStage()
    {
        using var folder = new TempDirectory("graph");

        var result = BuildHost
            .For(folder.Path)
            .Run("--target=ExtractModel", "--model=sentiment-model@challenger", "--dryrun");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("1. ExtractModel\n");
        result.Output.ShouldNotContain("Train");
        result.Output.ShouldNotContain("PullDataset");
    }

    [Fact]
    public void DryRun_RealBuild_ExecutesNothingAndWritesNoSummary()
    {
        using var folder = new TempDirectory("graph");

        var result = BuildHost.For(folder.Path).Run("--target=Test", "--dryrun");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("1. Restore\n2. Build\n3. TestTools\n4. Test\n");
        File.Exists(folder.Combine("artifacts", "summary.md")).ShouldBeFalse();
    }
}
