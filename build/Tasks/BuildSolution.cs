using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;

namespace Pipeline.Build.Tasks;

[TaskName("Build")]
[TaskDescription("Compiles the solution (--configuration, default Release).")]
[IsDependentOn(typeof(Restore))]
public sealed class BuildSolution : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.DotNetBuild(context.Solution.FullPath, new DotNetBuildSettings
        {
            Configuration = context.BuildConfiguration,
            NoRestore = true,
        });
        context.SolutionBuilt = true;
    }
}
