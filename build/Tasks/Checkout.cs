using Pipeline.Cake.Git;

namespace Pipeline.Build.Tasks;

[TaskName("Checkout")]
[TaskDescription(
    "On CI: verifies the tree is the commit the server expects and is clean. Locally: records the commit, "
        + "or with --ref checks that ref out into artifacts/checkout/<sha>, a worktree apart from yours."
)]
public sealed class Checkout : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Ref = new(
        "ref",
        string.Empty,
        "a branch, tag or commit to check out (local builds)",
        "REF"
    );

    public override void Run(BuildContext context)
    {
        if (context.Server.IsCi)
        {
            context.Commit = SourceCheckout.VerifyCiTree(
                context.Git,
                context.Server.Commit,
                context.Server.Kind.ToString()
            );
            context.Information("Checkout: {0} is clean at {1}", context.Root, context.Commit);
        }
        else if (Ref.Get(context) is { Length: > 0 } reference)
        {
            var (commit, path) = SourceCheckout.CheckoutWorktree(
                context.Git,
                reference,
                context.Artifacts.Combine("checkout").FullPath
            );
            context.Commit = commit;
            context.Information("Checkout: {0} is checked out at {1}", reference, path);
        }
        else if (!context.Git.IsRepository)
        {
            context.Information("Checkout: {0} is not a git work tree; building it as it is.", context.Root);
        }
        else
        {
            context.Commit = context.Git.HeadCommit;
            var changes = context.Git.StatusEntries.Count;
            context.Information(
                "Checkout: building the working tree at {0}{1}",
                context.Commit ?? "(no git)",
                changes > 0 ? $" with {changes} uncommitted change(s)" : string.Empty
            );
        }

        context.Summary.SetSection(
            "Source",
            $"Commit `{context.Commit ?? "unknown"}`, branch `{context.Server.Branch ?? "detached"}`."
        );
    }
}
