namespace Pipeline.Build.Arguments;

/// <summary>Where runs and the model registry live, and which registered model a stage acts on.</summary>
public static class TrackingArguments
{
    public static readonly BuildArgument<string> TrackingUri = new(
        "tracking-uri",
        string.Empty,
        "the MLflow tracking server (http[s]://…), else the repository's mlruns/",
        "URI",
        environmentVariable: "MLFLOW_TRACKING_URI"
    );

    public static readonly BuildArgument<string> Model = new(
        "model",
        string.Empty,
        "a registered model, optionally one version or alias of it (default: the config's registered model)",
        "NAME[@ALIAS|/VERSION]"
    );

    public static readonly BuildArgument<string> RunId = new("run-id", string.Empty, "one tracking run, by id", "ID");

    /// <summary>
    /// The model a stage is told to ship, as the user wrote it (<c>--model=…</c> or <c>--run-id=…</c>), or null.
    /// Naming it both ways is refused: the two could disagree.
    /// </summary>
    public static string? NamedModel(ICakeContext context) =>
        (Model.Get(context), RunId.Get(context)) switch
        {
            ({ Length: > 0 } model, { Length: > 0 } run) => throw new ArgumentException(
                $"--run-id={run} and --model={model} both name a model; give one of them."
            ),
            ({ Length: > 0 } model, _) => $"--model={model}",
            (_, { Length: > 0 } run) => $"--run-id={run}",
            _ => null,
        };
}
