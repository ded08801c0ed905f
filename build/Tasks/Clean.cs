namespace Pipeline.Build.Tasks;

[TaskName("Clean")]
[TaskDescription(
    "Deletes artifacts/ and the bin/ and obj/ folders of src/, tests/ and bench/, and forgets the worktrees Checkout made."
)]
public sealed class Clean : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.CleanDirectory(context.Artifacts);
        foreach (var folder in new[] { "src", "tests", "bench" })
        {
            context.CleanDirectories($"{context.Root.FullPath}/{folder}/**/bin");
            context.CleanDirectories($"{context.Root.FullPath}/{folder}/**/obj");
        }

        // Worktrees made by Checkout --ref lived under artifacts/; forget their metadata too.
        if (context.Git.IsRepository)
        {
            context.Git.Run("worktree", "prune");
        }
    }
}
