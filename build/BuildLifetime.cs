using Cake.Common.Build;
using Pipeline.Cake.BuildServers;

namespace Pipeline.Build;

/// <summary>Announces where and what is being built, and writes the run's summary at the end, even after a failure.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Information(
            "Pipeline {0} on {1} ({2}), branch {3}",
            context.Version.Version,
            context.Server.Kind,
            context.Version.Commit,
            context.Server.Branch ?? "(detached)"
        );
        context.EnsureDirectoryExists(context.Artifacts);
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (context.Summary.Tasks.Count == 0)
        {
            return; // a dry run executes no task, so there is nothing to report
        }

        var title = $"Pipeline {context.Version.Version}";
        var local = context.Artifacts.CombineWithFilePath("summary.md").FullPath;
        context.Summary.Write(local, title, info.Successful);
        if (context.Server.Kind == BuildServerKind.GitHubActions)
        {
            context.GitHubActions().Commands.SetStepSummary(context.Summary.Render(title, info.Successful)); // appended to the job summary
        }

        context.Information("Summary written to {0}", local);
    }
}
