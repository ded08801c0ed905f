namespace Pipeline.Build.Tasks;

[TaskName("Default")]
[TaskDescription(
    "The main job (a bare ./build.sh): train on the bundled sample, evaluate, gate, track and extract the model."
)]
[IsDependentOn(typeof(Train))]
[IsDependentOn(typeof(ExtractModel))]
public sealed class Default : FrostingTask<BuildContext> { }
