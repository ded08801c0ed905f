using Pipeline.Cake.BuildServers;
using Pipeline.Cake.Git;
using Pipeline.Cake.Summary;
using Pipeline.Data.Operations;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
using Pipeline.Training;

namespace Pipeline.Build;

/// <summary>
/// One typed record of the run. Facts about the environment are gathered once, on first use (so
/// <c>--tree</c> never asks git); each stage then adds the fact it produces for the stages after it.
/// </summary>
public sealed class BuildContext : FrostingContext
{
    private readonly Lazy<BuildServerInfo> _server;
    private readonly Lazy<BuildVersion> _version;

    private readonly Lazy<TrainingConfig> _trainingConfig;
    private readonly Lazy<ITrackingStore> _tracking;

    public BuildContext(ICakeContext context)
        : base(context)
    {
        Root = context.Environment.WorkingDirectory;
        Artifacts = Root.Combine("artifacts");
        Solution = Root.CombineWithFilePath("Pipeline.sln");
        BuildConfiguration = context.Argument("configuration", "Release");
        Git = new GitRepository(Root.FullPath);
        _server = new Lazy<BuildServerInfo>(() => BuildServerInfo.Detect(
            context.Environment.GetEnvironmentVariable,
            () => (Git.HeadCommit, Git.CurrentBranch)));
        _version = new Lazy<BuildVersion>(() => BuildVersion.From(Server with { Commit = Commit ?? Server.Commit }));
        Summary = new BuildSummary();
        _trainingConfig = new Lazy<TrainingConfig>(() => TrainingConfig.Load(
            context.MakeAbsolute(context.File(context.Argument("config", "config/training.json"))).FullPath,
            context.Arguments.GetArguments("param")));
        LocalRuns = new FileTrackingStore(Root.Combine("mlruns").FullPath);
        _tracking = new Lazy<ITrackingStore>(() => TrackingStores.Create(
            context.Argument("tracking-uri", context.Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI") ?? string.Empty),
            LocalRuns.Root,
            context.Environment.GetEnvironmentVariable));
    }

    public DirectoryPath Root { get; }

    public DirectoryPath Artifacts { get; }

    public FilePath Solution { get; }

    /// <summary>The dotnet build configuration (<c>--configuration</c>, default Release).</summary>
    public string BuildConfiguration { get; }

    public GitRepository Git { get; }

    public BuildServerInfo Server => _server.Value;

    public BuildVersion Version => _version.Value;

    public BuildSummary Summary { get; }

    /// <summary>The commit Checkout verified or checked out; later stages tag their outputs with it.</summary>
    public string? Commit { get; set; }

    /// <summary>Set by Build so that Test does not compile the solution a second time.</summary>
    public bool SolutionBuilt { get; set; }

    /// <summary>Where runs and the registry live: <c>--tracking-uri</c> or <c>MLFLOW_TRACKING_URI</c>, else the repository's mlruns/.</summary>
    public ITrackingStore Tracking => _tracking.Value;

    /// <summary>The repository's mlruns/: the embedded store, and where runs go when the server is unreachable.</summary>
    public FileTrackingStore LocalRuns { get; }

    /// <summary>The tracking run Train logged to (on the server, or locally after a fallback).</summary>
    public RunInfo? TrainingRun { get; set; }

    /// <summary>The model folder ExtractModel produced, with its lineage.</summary>
    public ExtractedModel? Model { get; set; }

    /// <summary>Where the pipeline's own sources are (Dockerfiles, projects): the folder holding Pipeline.sln above the host, else the working directory.</summary>
    public DirectoryPath SourceRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln")))
                {
                    return new DirectoryPath(dir.FullName);
                }
            }

            return Root;
        }
    }

    /// <summary>The images BuildImages built (and PushImages pushed); also in artifacts/images.json.</summary>
    public IReadOnlyList<Pipeline.Cake.Images.BuiltImage>? Images { get; set; }

    public FilePath ImagesFile => Artifacts.CombineWithFilePath("images.json");

    /// <summary><c>--image-tool</c>: docker (default), podman, or a path to either.</summary>
    public T ContainerSettings<T>(T settings)
        where T : Pipeline.Cake.Tools.Containers.ContainerSettings
    {
        var tool = this.Argument("image-tool", "docker");
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            settings.ToolPath = this.MakeAbsolute(this.File(tool));
            settings.Executable = System.IO.Path.GetFileName(tool);
        }
        else
        {
            settings.Executable = tool;
        }

        return settings;
    }

    /// <summary>A path as people name it: relative to the repository when it is inside, absolute otherwise.</summary>
    public string DisplayPath(string fullPath)
    {
        var relative = System.IO.Path.GetRelativePath(Root.FullPath, fullPath).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
    }

    /// <summary>The dataset store: <c>--storage=s3://bucket/prefix</c> (with <c>--s3-endpoint</c>) or a folder (default artifacts/object-store).</summary>
    public Pipeline.Datasets.Storage.IObjectStorage DatasetStorage() => Pipeline.Datasets.StorageFactory.Create(
        this.Argument("storage", Artifacts.Combine("object-store").FullPath),
        this.Argument("s3-endpoint", string.Empty) is { Length: > 0 } endpoint ? endpoint : null,
        Environment.GetEnvironmentVariable);

    /// <summary>The month to build: <c>--year</c> and <c>--month</c>, by default the previous UTC month.</summary>
    public (int Year, int Month) DatasetMonth() => this.HasArgument("year") || this.HasArgument("month")
        ? (this.Argument<int>("year"), this.Argument<int>("month"))
        : Pipeline.Datasets.Monthly.MonthlyBuilder.PreviousMonth(DateTimeOffset.UtcNow);

    /// <summary>Tags that tie a run to its source, build, data and configuration (the golden chain).</summary>
    public IReadOnlyDictionary<string, string> LineageTags()
    {
        var tags = new Dictionary<string, string>
        {
            ["mlflow.source.name"] = "build/Tasks/Train.cs",
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.user"] = Environment.GetEnvironmentVariable("USER") ?? "pipeline",
            ["mlflow.source.git.commit"] = Version.Commit,
            ["pipeline.build.number"] = Server.BuildNumber,
            ["pipeline.build.server"] = Server.Kind.ToString(),
            ["pipeline.version"] = Version.Version,
            ["pipeline.config.hash"] = TrainingConfig.Hash,
            ["pipeline.image.tag"] = Version.Version,
        };
        if (Server.Branch is { } branch)
        {
            tags["mlflow.source.git.branch"] = branch;
        }

        if (Server.BuildUrl is { } url)
        {
            tags["pipeline.build.url"] = url;
        }

        foreach (var dataset in Datasets)
        {
            tags[$"pipeline.dvc.{dataset.Path.Replace('/', '.')}"] = dataset.Md5;
        }

        return tags;
    }

    /// <summary>The training configuration: <c>--config</c> (default config/training.json) with <c>--param key=value</c> overrides.</summary>
    public TrainingConfig TrainingConfig => _trainingConfig.Value;

    /// <summary>What Train produced; later stages track, extract and package it.</summary>
    public TrainingResult? Training { get; set; }

    /// <summary>The gate's verdict on <see cref="Training"/>.</summary>
    public GateResult? Gate { get; set; }

    /// <summary>What PullDataset restored: each output's path and md5, for the training run's lineage tags.</summary>
    public IReadOnlyList<DatasetRecord> Datasets { get; set; } = [];

    /// <summary>The outputs named by <c>--dataset</c> (repeatable); empty means all.</summary>
    public IReadOnlyList<string> DatasetArguments => [.. Arguments.GetArguments("dataset").Where(a => a.Length > 0)];

    /// <summary>Transfer settings from <c>--remote</c>, <c>--jobs</c> and <c>--force</c>, with credentials from the environment.</summary>
    public TransferOptions TransferOptions() => new()
    {
        RemoteName = this.Argument("remote", string.Empty) is { Length: > 0 } remote ? remote : null,
        Jobs = this.Argument("jobs", 0) is > 0 and var jobs ? jobs : null,
        Force = this.HasArgument("force"),
        Environment = Environment.GetEnvironmentVariable,
        Log = message => this.Information(message),
    };
}

/// <summary>A dataset the run used: its path from the repository root and its DVC md5.</summary>
public sealed record DatasetRecord(string Path, string Md5, long? Size);
