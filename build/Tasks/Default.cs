namespace Pipeline.Build.Tasks;

[TaskName("Default")]
[TaskDescription("The main job: what a bare ./build.sh runs.")]
[IsDependentOn(typeof(BuildSolution))]
public sealed class Default : FrostingTask<BuildContext>
{
}
