namespace Pipeline.Build.Arguments;

/// <summary>DVC transfers: which remote, how many at once, and whether local changes may be overwritten.</summary>
public static class DataArguments
{
    public static readonly BuildArgument<string> Remote = new(
        "remote",
        string.Empty,
        "the DVC remote (default: core.remote of .dvc/config)",
        "NAME"
    );

    public static readonly BuildArgument<int> Jobs = new(
        "jobs",
        0,
        "parallel transfers",
        "N",
        defaultText: "4 × cores, at most 16"
    );

    public static readonly BuildFlag Force = new("force", "overwrite workspace changes that are not in the cache");

    public static readonly BuildArgument<string> Path = new(
        "path",
        string.Empty,
        "the workspace path of a DVC-tracked dataset, a file or a folder (PublishDataset: default data/train.csv; FetchDataset: the folder, default the dataset's own)",
        "PATH"
    );

    public static readonly BuildArgument<string> PublicDataset = new(
        "public-dataset",
        string.Empty,
        "the published dataset FetchDataset downloads",
        "NAME",
        defaultText: "the first the workloads register (imdb)"
    );

    public static readonly BuildArgument<string> Url = new(
        "url",
        string.Empty,
        "where FetchDataset downloads the archive from (a mirror; the checksum is still checked)",
        "URL",
        defaultText: "the publisher's address"
    );

    public static readonly BuildArgument<string> Sha256 = new(
        "sha256",
        string.Empty,
        "the archive's SHA-256 FetchDataset requires",
        "HEX",
        defaultText: "the published digest"
    );
}
