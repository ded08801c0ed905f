using Pipeline.Build.Solution;

namespace Pipeline.Build.Tasks;

[TaskName("TestFast")]
[TaskDescription(
    "The fast lane: every test not tagged Category=Integration (no servers, browsers, containers or external CLIs); about a minute."
)]
[IsDependentOn(typeof(Build))]
public sealed class TestFast : FrostingTask<BuildContext>
{
    public const string Filter = "Category!=Integration";

    public override void Run(BuildContext context) => TestRun.Run(context, Filter, fastLane: true);
}
