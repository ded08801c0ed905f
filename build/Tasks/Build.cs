using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;
using Pipeline.Build.Arguments;

namespace Pipeline.Build.Tasks;

[TaskName("Build")]
[TaskDescription("Compiles the solution.")]
[IsDependentOn(typeof(Restore))]
public sealed class Build : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Configuration = SolutionArguments.Configuration;

    public override void Run(BuildContext context)
    {
        context.DotNetBuild(
            context.Solution.FullPath,
            new DotNetBuildSettings { Configuration = context.BuildConfiguration, NoRestore = true }
        );
        context.SolutionBuilt = true;
    }
}
