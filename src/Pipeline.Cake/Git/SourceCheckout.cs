namespace Pipeline.Cake.Git;

/// <summary>The Checkout stage's two jobs: prove a CI tree is the commit the server asked for, or make a clean local checkout of a ref.</summary>
public static class SourceCheckout
{
    private const int ListedEntries = 20;

    /// <summary>
    /// On CI the SCM checkout has already happened: refuses a tree at another commit, or one with any
    /// change or untracked file, because the artifacts would not match the commit they are labelled with.
    /// </summary>
    /// <returns>The verified commit.</returns>
    public static string VerifyCiTree(GitRepository repository, string? expectedCommit, string server)
    {
        var head =
            repository.HeadCommit
            ?? throw new InvalidOperationException($"Checkout: {repository.Directory} is not a git work tree.");
        if (string.IsNullOrWhiteSpace(expectedCommit))
        {
            throw new InvalidOperationException(
                $"Checkout: {server} did not say which commit to build (GIT_COMMIT or GITHUB_SHA is empty)."
            );
        }

        if (!head.Equals(expectedCommit.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Checkout: the tree is at {head}, but {server} expects {expectedCommit.Trim()}."
            );
        }

        var changes = repository.StatusEntries;
        if (changes.Count > 0)
        {
            var listed = string.Join(Environment.NewLine, changes.Take(ListedEntries).Select(c => "  " + c));
            var more =
                changes.Count > ListedEntries
                    ? $"{Environment.NewLine}  … and {changes.Count - ListedEntries} more"
                    : string.Empty;
            throw new InvalidOperationException(
                $"Checkout: refusing to build a dirty tree on {server}: {changes.Count} changed or untracked path(s) at {head}:"
                    + $"{Environment.NewLine}{listed}{more}{Environment.NewLine}The SCM checkout must be clean; a step before Checkout modified it."
            );
        }

        return head;
    }

    /// <summary>Checks <paramref name="reference"/> out into <c>&lt;checkoutRoot&gt;/&lt;sha&gt;</c> as a detached worktree, leaving the user's own tree alone.</summary>
    /// <returns>The commit and the worktree's folder.</returns>
    public static (string Commit, string Path) CheckoutWorktree(
        GitRepository repository,
        string reference,
        string checkoutRoot
    )
    {
        var commit = repository.ResolveCommit(reference);
        var path = System.IO.Path.Combine(checkoutRoot, commit);
        if (Directory.Exists(path))
        {
            var existing = new GitRepository(path);
            if (existing.HeadCommit == commit && existing.StatusEntries.Count == 0)
            {
                return (commit, path);
            }

            throw new InvalidOperationException(
                $"Checkout: {path} exists but is not a clean checkout of {commit}. Remove it with 'git worktree remove --force {path}'."
            );
        }

        Directory.CreateDirectory(checkoutRoot);
        repository.AddDetachedWorktree(path, commit);
        return (commit, path);
    }
}
