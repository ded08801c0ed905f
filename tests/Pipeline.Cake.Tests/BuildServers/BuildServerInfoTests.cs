using Cake.Common.Build.GitHubActions;
using Cake.Common.Build.Jenkins;
using Cake.Core;
using Cake.Core.IO;
using Pipeline.Cake.BuildServers;
using Pipeline.Testing;

namespace Pipeline.Cake.Tests.BuildServers;

public sealed class BuildServerInfoTests
{
    private static BuildServerInfo Detect(
        Dictionary<string, string> variables,
        string? localCommit = "abc1234def",
        string? localBranch = "feature/x"
    ) => Detect(variables, () => (localCommit, localBranch));

    // Cake.Common's own providers read the variables, as the build does.
    private static BuildServerInfo Detect(Dictionary<string, string> variables, Func<(string?, string?)> localGit)
    {
        var environment = new IsolatedCakeEnvironment(new DirectoryPath("/tmp"));
        foreach (var (name, value) in variables)
        {
            environment.Variables[name] = value;
        }

        return BuildServerInfo.Detect(
            new JenkinsProvider(environment),
            new GitHubActionsProvider(
                environment,
                new FileSystem(),
                new ConsoleMessageWriter(new CakeConsole(environment))
            ),
            localGit
        );
    }

    [Fact]
    public void Detect_GitHubActionsVariables_ReadsCommitRunAndSummary()
    {
        var server = Detect(
            new()
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_SHA"] = "3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
                ["GITHUB_RUN_NUMBER"] = "42",
                ["GITHUB_REF_NAME"] = "main",
                ["GITHUB_STEP_SUMMARY"] = "/tmp/summary.md",
                ["GITHUB_SERVER_URL"] = "https://github.example",
                ["GITHUB_REPOSITORY"] = "acme/pipeline",
                ["GITHUB_RUN_ID"] = "9001",
            }
        );

        server.Kind.ShouldBe(BuildServerKind.GitHubActions);
        server.IsCi.ShouldBeTrue();
        server.Commit.ShouldBe("3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39");
        server.BuildNumber.ShouldBe("42");
        server.Branch.ShouldBe("main");
        server.StepSummaryPath.ShouldBe("/tmp/summary.md");
        server.BuildUrl.ShouldBe("https://github.example/acme/pipeline/actions/runs/9001");
    }

    [Fact]
    public void Detect_GitHubPullRequest_UsesTheHeadBranch()
    {
        var server = Detect(
            new()
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_REF_NAME"] = "17/merge",
                ["GITHUB_HEAD_REF"] = "feature/y",
            }
        );

        server.Branch.ShouldBe("feature/y");
    }

    [Fact]
    public void Detect_JenkinsVariables_ReadsCommitBuildAndUrl()
    {
        var server = Detect(
            new()
            {
                ["JENKINS_URL"] = "http://jenkins.local/",
                ["BUILD_NUMBER"] = "118",
                ["BUILD_URL"] = "http://jenkins.local/job/pipeline/118/",
                ["GIT_COMMIT"] = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
                ["BRANCH_NAME"] = "main",
            }
        );

        server.Kind.ShouldBe(BuildServerKind.Jenkins);
        server.Commit.ShouldBe("9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d");
        server.BuildNumber.ShouldBe("118");
        server.BuildUrl.ShouldBe("http://jenkins.local/job/pipeline/118/");
        server.Branch.ShouldBe("main");
        server.StepSummaryPath.ShouldBeNull();
    }

    [Fact]
    public void Detect_JenkinsWithoutMultibranch_StripsTheRemoteFromGitBranch()
    {
        var server = Detect(new() { ["JENKINS_URL"] = "http://j/", ["GIT_BRANCH"] = "origin/release" });

        server.Branch.ShouldBe("release");
    }

    [Fact]
    public void Detect_NoCiVariables_AsksGitAndIsLocal()
    {
        var server = Detect([]);

        server.Kind.ShouldBe(BuildServerKind.Local);
        server.IsCi.ShouldBeFalse();
        server.Commit.ShouldBe("abc1234def");
        server.Branch.ShouldBe("feature/x");
        server.BuildNumber.ShouldBe("local");
    }

    [Fact]
    public void Detect_GitHubActionsFalse_IsNotGitHub()
    {
        Detect(new() { ["GITHUB_ACTIONS"] = "false" }).Kind.ShouldBe(BuildServerKind.Local);
    }

    [Fact]
    public void Detect_OnCi_NeverAsksGit()
    {
        var asked = false;
        Detect(
            new() { ["JENKINS_URL"] = "http://j/" },
            () =>
            {
                asked = true;
                return (null, null);
            }
        );

        asked.ShouldBeFalse();
    }
}
