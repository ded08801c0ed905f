using Pipeline.Build.Reporting;

namespace Pipeline.Build.Tasks;

[TaskName("Help")]
[TaskDescription(
    "Lists every target with its arguments, their defaults and environment variables; --readme rewrites the README's target table from the same source."
)]
public sealed class Help : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> About = new("about", string.Empty, "show only this target", "TARGET");
    private static readonly BuildFlag Readme = new(
        "readme",
        "rewrite the target table in README.md (between its target-table markers)"
    );

    public override void Run(BuildContext context)
    {
        var targets = TargetCatalog.FromAssemblies(typeof(BuildContext).Assembly);
        if (Readme.Get(context))
        {
            var readme = context.Root.CombineWithFilePath("README.md").FullPath;
            TargetTable.Rewrite(readme, targets);
            context.Information(
                "Help: the target table in {0} now lists {1} targets.",
                context.DisplayPath(readme),
                targets.Count
            );
            return;
        }

        var about = About.Get(context);
        var shown =
            about.Length == 0
                ? targets
                : [.. targets.Where(t => string.Equals(t.Name, about, StringComparison.OrdinalIgnoreCase))];
        if (shown.Count == 0)
        {
            throw new InvalidOperationException(
                $"--about: there is no target '{about}'; run --target=Help for the list."
            );
        }

        context.Information(TargetCatalog.Help(shown));
    }
}
