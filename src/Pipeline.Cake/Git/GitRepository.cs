using System.Diagnostics;

namespace Pipeline.Cake.Git;

/// <summary>The few git questions the build asks, through the git command line.</summary>
public sealed class GitRepository(string directory)
{
    public string Directory { get; } = directory;

    public bool IsRepository =>
        TryRun(["rev-parse", "--is-inside-work-tree"], out var output) && output.Trim() == "true";

    public string? HeadCommit => TryRun(["rev-parse", "HEAD"], out var output) ? output.Trim() : null;

    public string? CurrentBranch =>
        TryRun(["rev-parse", "--abbrev-ref", "HEAD"], out var output)
        && output.Trim() is { Length: > 0 } b
        && b != "HEAD"
            ? b
            : null;

    /// <summary>Tracked changes and untracked files that are not ignored, as <c>git status --porcelain</c> lists them.</summary>
    public IReadOnlyList<string> StatusEntries =>
        Run("status", "--porcelain", "--untracked-files=normal")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToList();

    /// <summary>Resolves a branch, tag or sha to a full commit sha.</summary>
    public string ResolveCommit(string reference) =>
        TryRun(["rev-parse", "--verify", "--quiet", reference + "^{commit}"], out var output)
        && output.Trim() is { Length: 40 } sha
            ? sha
            : throw new InvalidOperationException(
                $"--ref: '{reference}' is not a branch, tag or commit in {Directory}."
            );

    /// <summary>Checks the commit out into a detached worktree at <paramref name="path"/>, separate from this tree.</summary>
    public void AddDetachedWorktree(string path, string commit) => Run("worktree", "add", "--detach", path, commit);

    public string Run(params string[] arguments) =>
        TryRun(arguments, out var output, out var error)
            ? output
            : throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed in {Directory}: {error.Trim()}"
            );

    private bool TryRun(string[] arguments, out string output) => TryRun(arguments, out output, out _);

    private bool TryRun(string[] arguments, out string output, out string error)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            error = stderr.GetAwaiter().GetResult();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            output = string.Empty;
            error = $"git is not installed: {ex.Message}";
            return false;
        }
    }
}
