using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;

namespace Pipeline.Build.Tasks;

[TaskName("Test")]
[TaskDescription("Runs every test in Pipeline.sln; TRX and JUnit XML go to artifacts/test-results/ (--filter narrows the run).")]
[IsDependentOn(typeof(BuildSolution))]
public sealed class Test : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var results = context.Artifacts.Combine("test-results");
        context.CleanDirectory(results);
        context.DotNetTest(context.Solution.FullPath, new DotNetTestSettings
        {
            Configuration = context.BuildConfiguration,
            NoBuild = context.SolutionBuilt,
            NoRestore = context.SolutionBuilt,
            Filter = context.Argument("filter", string.Empty) is { Length: > 0 } filter ? filter : null,
            ResultsDirectory = results,
            Loggers =
            [
                "trx",
                $"junit;LogFilePath={results.FullPath}/{{assembly}}.junit.xml;MethodFormat=Class;FailureBodyFormat=Verbose",
                "console;verbosity=normal",
            ],
        });
    }
}
