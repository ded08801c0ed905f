namespace Pipeline.Build.Arguments;

/// <summary>What a run trains, on what, and how: shared by every stage that reads the training config.</summary>
public static class TrainingArguments
{
    public static readonly BuildArgument<string> Config = new(
        "config",
        "config/training.json",
        "the workload's training config: its model, dataset, params and quality gate",
        "FILE"
    );

    public static readonly RepeatableArgument Param = new(
        "param",
        "overrides one hyper-parameter of the config",
        "KEY=VALUE"
    );

    public static readonly RepeatableArgument Dataset = new(
        "dataset",
        "the dataset this run works on: PullDataset restores it, Train trains on it, the data targets act only on it",
        "PATH"
    );

    public static readonly BuildFlag Smoke = new("smoke", "train on the first rows only, in seconds (pull-request CI)");

    public static readonly BuildFlag AllowNoChampion = new(
        "allow-no-champion",
        "train without the champion comparison when the registry cannot be reached (the gate fails closed otherwise)"
    );
}
