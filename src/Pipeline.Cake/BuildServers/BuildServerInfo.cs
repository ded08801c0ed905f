using Cake.Common.Build.GitHubActions;
using Cake.Common.Build.Jenkins;
using Cake.Core;

namespace Pipeline.Cake.BuildServers;

/// <summary>Where the build runs and what that server says about the commit being built.</summary>
/// <param name="Commit">The full commit sha the server expects; null when it cannot be known.</param>
/// <param name="BuildNumber">The server's run number; <c>local</c> on a laptop.</param>
/// <param name="StepSummaryPath">GitHub Actions' job summary file; null elsewhere.</param>
public sealed record BuildServerInfo(
    BuildServerKind Kind,
    string? Commit,
    string? Branch,
    string BuildNumber,
    string? BuildUrl,
    string? StepSummaryPath
)
{
    public bool IsCi => Kind != BuildServerKind.Local;

    /// <summary>
    /// What Cake.Common's build-system providers read from Jenkins and GitHub Actions. On a laptop the commit and branch
    /// come from <paramref name="localGit"/>, which is only called there.
    /// </summary>
    public static BuildServerInfo Detect(
        IJenkinsProvider jenkins,
        IGitHubActionsProvider gitHub,
        Func<(string? Commit, string? Branch)> localGit
    )
    {
        if (gitHub.IsRunningOnGitHubActions)
        {
            var workflow = gitHub.Environment.Workflow;
            var url =
                workflow.Repository is { Length: > 0 } repo && workflow.RunId is { Length: > 0 } runId
                    ? $"{NonEmpty(workflow.ServerUrl) ?? "https://github.com"}/{repo}/actions/runs/{runId}"
                    : null;
            return new BuildServerInfo(
                BuildServerKind.GitHubActions,
                NonEmpty(workflow.Sha),
                NonEmpty(workflow.HeadRef) ?? NonEmpty(workflow.RefName),
                workflow.RunNumber > 0
                    ? workflow.RunNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "0",
                url,
                NonEmpty(gitHub.Environment.Runtime.StepSummary?.FullPath)
            );
        }

        if (jenkins.IsRunningOnJenkins)
        {
            var build = jenkins.Environment.Build;
            var repository = jenkins.Environment.Repository;
            return new BuildServerInfo(
                BuildServerKind.Jenkins,
                NonEmpty(repository.GitCommitSha),
                NonEmpty(repository.BranchName) ?? StripRemote(NonEmpty(repository.GitBranch)),
                build.BuildNumber > 0
                    ? build.BuildNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "0",
                NonEmpty(build.BuildUrl),
                null
            );
        }

        var (commit, branch) = localGit();
        return new BuildServerInfo(BuildServerKind.Local, commit, branch, "local", null, null);
    }

    /// <summary>The build system of a Cake context: Jenkins or GitHub Actions when their variables are set, else local.</summary>
    public static BuildServerInfo Detect(ICakeContext context, Func<(string? Commit, string? Branch)> localGit) =>
        Detect(
            new JenkinsProvider(context.Environment),
            new GitHubActionsProvider(
                context.Environment,
                context.FileSystem,
                new ConsoleMessageWriter(new CakeConsole(context.Environment)) /* only read, never written */
            ),
            localGit
        );

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // Jenkins' Git plugin reports "origin/main" outside multibranch jobs.
    private static string? StripRemote(string? branch) =>
        branch is not null && branch.StartsWith("origin/", StringComparison.Ordinal)
            ? branch["origin/".Length..]
            : branch;
}
