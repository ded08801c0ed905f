namespace Pipeline.Build.Arguments;

/// <summary>Where collected and monthly datasets are stored, and which month a stage builds.</summary>
public static class CollectionArguments
{
    public static readonly BuildArgument<string> Storage = new(
        "storage",
        "artifacts/object-store",
        "the dataset store: s3://bucket/prefix or a folder",
        "LOCATION"
    );

    public static readonly BuildArgument<string> S3Endpoint = new(
        "s3-endpoint",
        string.Empty,
        "the S3 endpoint of an S3-compatible store",
        "URL"
    );

    public static readonly BuildArgument<int> Year = new(
        "year",
        0,
        "the year of the month to build (default: the previous UTC month)",
        "YYYY",
        defaultText: "previous month"
    );

    public static readonly BuildArgument<int> Month = new(
        "month",
        0,
        "the month to build, 1-12 (default: the previous UTC month)",
        "M",
        defaultText: "previous month"
    );

    public static readonly BuildArgument<string> Kind = new(
        "kind",
        "full",
        "which monthly dataset: full (all collected rows) or verified (user-confirmed labels)",
        "full|verified"
    );
}
