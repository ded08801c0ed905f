using Pipeline.Cake.BuildServers;
using Pipeline.Cake.Git;
using Pipeline.Cake.Summary;
using Pipeline.Data.Operations;
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
