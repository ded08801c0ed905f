using Pipeline.Testing;

namespace Pipeline.Build.Tests;

public sealed class CheckoutTests
{
    [Fact]
    public void Checkout_OnJenkinsWithDirtyTree_RefusesNamingTheChanges()
    {
        using var folder = new TempDirectory("checkout");
        var git = GitFixture.InitWithCommit(folder.Path);
        File.WriteAllText(folder.Combine("README.md"), "edited on the agent\n");
        folder.Write("stray.txt", "left behind");
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["JENKINS_URL"] = "http://jenkins.local/";
        host.Environment.Variables["GIT_COMMIT"] = git.HeadCommit!;
        host.Environment.Variables["BUILD_NUMBER"] = "7";

        var result = host.Run("--target=Checkout");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(
            "Checkout: refusing to build a dirty tree on Jenkins: 2 changed or untracked path(s)"
        );
        result.Output.ShouldContain("README.md");
        result.Output.ShouldContain("stray.txt");
    }

    [Fact]
    public void Checkout_OnGitHubActionsAtAnotherCommit_Refuses()
    {
        using var folder = new TempDirectory("checkout");
        var git = GitFixture.InitWithCommit(folder.Path);
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["GITHUB_ACTIONS"] = "true";
        host.Environment.Variables["GITHUB_SHA"] = new string('a', 40);

        var result = host.Run("--target=Checkout");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain(
            $"Checkout: the tree is at {git.HeadCommit}, but GitHubActions expects {new string('a', 40)}."
        );
    }

    [Fact]
    public void Checkout_OnCiWithCleanTree_RecordsTheCommitAndFoldsTheLog()
    {
        using var folder = new TempDirectory("checkout");
        var git = GitFixture.InitWithCommit(folder.Path);
        File.WriteAllText(folder.Combine(".gitignore"), "artifacts/\n");
        var commit = GitFixture.Commit(git, "ignore artifacts");
        using var runner = new TempDirectory("runner");
        var stepSummary = runner.Write("step-summary.md", "# earlier step\n");
        var host = BuildHost.For(folder.Path);
        host.Environment.Variables["GITHUB_ACTIONS"] = "true";
        host.Environment.Variables["GITHUB_SHA"] = commit;
        host.Environment.Variables["GITHUB_RUN_NUMBER"] = "12";
        host.Environment.Variables["GITHUB_STEP_SUMMARY"] = stepSummary;

        var result = host.Run("--target=Checkout");

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain($"Checkout: {folder.Path} is clean at {commit}");
        result.Output.ShouldContain("::group::Checkout\n");
        result.Output.ShouldContain("::endgroup::\n");
        var summary = File.ReadAllText(stepSummary);
        summary.ShouldStartWith("# earlier step\n");
        summary.ShouldContain($"## Pipeline {commit[..7]}-12 — succeeded");
        summary.ShouldMatch(@"\| Checkout \| [0-9.]+ s \| Succeeded \|");
        File.ReadAllText(folder.Combine("artifacts", "summary.md")).ShouldContain($"Commit `{commit}`");
    }

    [Fact]
    public void Checkout_LocallyWithRef_ChecksOutACleanWorktreeUnderArtifacts()
    {
        using var folder = new TempDirectory("checkout");
        var git = GitFixture.InitWithCommit(folder.Path, contents: "first\n");
        var first = git.HeadCommit!;
        git.Run("tag", "v1");
        File.WriteAllText(folder.Combine("README.md"), "second\n");
        GitFixture.Commit(git, "second");
        File.WriteAllText(folder.Combine("README.md"), "my uncommitted work\n");

        var result = BuildHost.For(folder.Path).Run("--target=Checkout", "--ref=v1");

        result.ExitCode.ShouldBe(0, result.Output);
        var worktree = folder.Combine("artifacts", "checkout", first);
        File.ReadAllText(Path.Combine(worktree, "README.md")).ShouldBe("first\n");
        File.ReadAllText(folder.Combine("README.md")).ShouldBe("my uncommitted work\n");

        // A second run reuses the clean worktree.
        BuildHost.For(folder.Path).Run("--target=Checkout", "--ref=v1").ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Checkout_LocallyWithUnknownRef_FailsNamingTheFlag()
    {
        using var folder = new TempDirectory("checkout");
        GitFixture.InitWithCommit(folder.Path);

        var result = BuildHost.For(folder.Path).Run("--target=Checkout", "--ref=no-such-branch");

        result.ExitCode.ShouldNotBe(0);
        result.Output.ShouldContain("--ref: 'no-such-branch' is not a branch, tag or commit");
    }
}
