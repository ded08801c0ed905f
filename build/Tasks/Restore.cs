using Cake.Common.Tools.DotNet;

namespace Pipeline.Build.Tasks;

[TaskName("Restore")]
[TaskDescription("Restores the solution's NuGet packages.")]
public sealed class Restore : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => context.DotNetRestore(context.Solution.FullPath);
}
