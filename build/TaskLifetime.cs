using Pipeline.Cake.BuildServers;
using TaskStatus = Pipeline.Cake.Summary.TaskStatus;

namespace Pipeline.Build;

/// <summary>Folds each task's log into a GitHub Actions group and records its outcome for the summary.</summary>
public sealed class TaskLifetime(IConsole console) : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info)
    {
        if (context.Server.Kind == BuildServerKind.GitHubActions)
        {
            GitHubActionsOnConsole.Create(context, console).Commands.StartGroup(info.Task.Name);
        }
    }

    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
        if (context.Server.Kind == BuildServerKind.GitHubActions)
        {
            GitHubActionsOnConsole.Create(context, console).Commands.EndGroup();
        }

        var status =
            info.Skipped ? TaskStatus.Skipped
            : info.Successful ? TaskStatus.Succeeded
            : TaskStatus.Failed;
        context.Summary.RecordTask(info.Task.Name, info.Duration, status);
    }
}
