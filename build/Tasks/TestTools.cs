using Pipeline.Cake.Setup;

namespace Pipeline.Build.Tasks;

[TaskName("TestTools")]
[TaskDescription(
    "Installs what the integration tests need beyond the .NET SDK (tests/tools.json: Chromium, PostgreSQL, podman, "
        + "node tools) where it is missing; idempotent, run by Test and .ci/run."
)]
public sealed class TestTools : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (!context.FileExists(context.Root.CombineWithFilePath(MachineTools.DefaultPath)))
        {
            context.Information("TestTools: {0} does not exist; nothing to install.", MachineTools.DefaultPath);
            return;
        }

        var tools = MachineTools.Load(context.Root.CombineWithFilePath(MachineTools.DefaultPath).FullPath);
        var missing = tools.InstallMissing(message => context.Information(message));
        foreach (var reason in missing)
        {
            context.Warning("TestTools: {0}", reason);
        }

        context.Summary.SetSection(
            "Test tools",
            missing.Count == 0
                ? $"All {tools.Tools.Count} tools of `{MachineTools.DefaultPath}` are installed."
                : "Missing (their tests skip):\n" + string.Join('\n', missing.Select(m => $"- {m}"))
        );
    }
}
