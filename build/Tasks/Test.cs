using Pipeline.Build.Arguments;
using Pipeline.Build.Solution;

namespace Pipeline.Build.Tasks;

[TaskName("Test")]
[TaskDescription(
    "Runs every test in Pipeline.sln after TestTools; TRX and JUnit XML go to artifacts/test-results/, and the summary lists "
        + "each project's time and every skipped test with its reason."
)]
[IsDependentOn(typeof(Build))]
[IsDependentOn(typeof(TestTools))]
public sealed class Test : FrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Filter = SolutionArguments.Filter;

    public override void Run(BuildContext context) => TestRun.Run(context, Filter.Get(context));
}
