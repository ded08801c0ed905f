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
    string? StepSummaryPath)
{
    public bool IsCi => Kind != BuildServerKind.Local;

    /// <summary>
    /// Reads the variables Jenkins and GitHub Actions set. On a laptop the commit and branch come from
    /// <paramref name="localGit"/>, which is only called there.
    /// </summary>
    public static BuildServerInfo Detect(Func<string, string?> variable, Func<(string? Commit, string? Branch)> localGit)
    {
        string? Get(string name) => variable(name) is { Length: > 0 } value ? value.Trim() : null;

        if (string.Equals(Get("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var server = Get("GITHUB_SERVER_URL") ?? "https://github.com";
            var url = Get("GITHUB_REPOSITORY") is { } repo && Get("GITHUB_RUN_ID") is { } runId
                ? $"{server}/{repo}/actions/runs/{runId}"
                : null;
            return new BuildServerInfo(
                BuildServerKind.GitHubActions,
                Get("GITHUB_SHA"),
                Get("GITHUB_HEAD_REF") ?? Get("GITHUB_REF_NAME"),
                Get("GITHUB_RUN_NUMBER") ?? "0",
                url,
                Get("GITHUB_STEP_SUMMARY"));
        }

        if (Get("JENKINS_URL") is not null)
        {
            return new BuildServerInfo(
                BuildServerKind.Jenkins,
                Get("GIT_COMMIT"),
                Get("BRANCH_NAME") ?? StripRemote(Get("GIT_BRANCH")),
                Get("BUILD_NUMBER") ?? "0",
                Get("BUILD_URL"),
                null);
        }

        var (commit, branch) = localGit();
        return new BuildServerInfo(BuildServerKind.Local, commit, branch, "local", null, null);
    }

    // Jenkins' Git plugin reports "origin/main" outside multibranch jobs.
    private static string? StripRemote(string? branch) =>
        branch is not null && branch.StartsWith("origin/", StringComparison.Ordinal) ? branch["origin/".Length..] : branch;
}
