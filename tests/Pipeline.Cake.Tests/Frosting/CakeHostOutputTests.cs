namespace Pipeline.Cake.Tests.Frosting;

public sealed class CakeHostOutputTests
{
    [Fact]
    public void Run_Tree_PrintsCakesTreeWithDefaultFirst()
    {
        using var host = new HostFixture();

        var result = host.Run("--tree");

        result.ExitCode.ShouldBe(0, result.Output);
        host.Log.Entries.ShouldBeEmpty();
        result.Output.ShouldBe(
            "\n"
                + "Default\n"
                + "└─Package\n"
                + "   └─Test\n"
                + "      └─Build\n"
                + "         └─Restore\n"
                + "            └─Clean\n"
                + "\n"
                + "Fail\n"
                + "└─Clean\n"
                + "\n"
        );
    }

    [Fact]
    public void Run_DryRunAndTree_DryRunWins()
    {
        using var host = new HostFixture();

        var result = host.Run("--tree", "--dryrun", "--description", "--target=Restore");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("Performing dry run...");
        result.Output.ShouldNotContain("└─");
    }

    [Fact]
    public void Run_TreeAndDescription_TreeWins()
    {
        using var host = new HostFixture();

        var result = host.Run("--description", "--showtree");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain("└─Clean");
        result.Output.ShouldNotContain("Compiles everything.");
    }

    [Fact]
    public void Run_Description_PrintsATableOfDescriptions()
    {
        using var host = new HostFixture();

        var result = host.Run("--descriptions");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldMatch(@"Task\s+Description");
        result.Output.ShouldMatch(@"Build\s+Compiles everything\.");
        host.Log.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Run_Version_PrintsTheCakeEngineVersion()
    {
        using var host = new HostFixture();

        var result = host.Run("--version");

        result.ExitCode.ShouldBe(0);
        result.Output.Trim().ShouldBe("7.0.0");
    }
}
