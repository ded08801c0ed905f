using Pipeline.Build.Arguments;
using Pipeline.Cake.BuildServers;
using Pipeline.Cake.Git;
using Pipeline.Cake.Summary;
using Pipeline.Collection.Monthly;
using Pipeline.Collection.Storage;
using Pipeline.DataVersioning.Operations;
using Pipeline.Delivery.Images;
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
    private readonly Lazy<ImageCatalog> _images;

    public BuildContext(ICakeContext context)
        : base(context)
    {
        Root = context.Environment.WorkingDirectory;
        Artifacts = Root.Combine("artifacts");
        Solution = Root.CombineWithFilePath("Pipeline.sln");
        Git = new GitRepository(Root.FullPath);
        _server = new Lazy<BuildServerInfo>(() =>
            BuildServerInfo.Detect(context, () => (Git.HeadCommit, Git.CurrentBranch))
        );
        _version = new Lazy<BuildVersion>(() => BuildVersion.From(Server with { Commit = Commit ?? Server.Commit }));
        _trainingConfig = new Lazy<TrainingConfig>(() =>
            TrainingConfig.Load(
                context.MakeAbsolute(context.File(TrainingArguments.Config.Get(context))).FullPath,
                TrainingArguments.Param.Get(context)
            )
        );
        LocalRuns = new FileTrackingStore(Root.Combine("mlruns").FullPath);
        _tracking = new Lazy<ITrackingStore>(() =>
            TrackingStores.Create(
                TrackingArguments.TrackingUri.Get(context),
                LocalRuns.Root,
                context.Environment.GetEnvironmentVariable
            )
        );
        _images = new Lazy<ImageCatalog>(() =>
            ImageCatalog.Load(SourceRoot.CombineWithFilePath(ImageCatalog.DefaultPath).FullPath)
        );
    }

    public DirectoryPath Root { get; }

    public DirectoryPath Artifacts { get; }

    public FilePath Solution { get; }

    /// <summary>The dotnet build configuration (<c>--configuration</c>, default Release).</summary>
    public string BuildConfiguration => SolutionArguments.Configuration.Get(this);

    public GitRepository Git { get; }

    public BuildServerInfo Server => _server.Value;

    public BuildVersion Version => _version.Value;

    public BuildSummary Summary { get; } = new();

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

    /// <summary>artifacts/model: where ExtractModel puts the model to ship, and where BuildImages and Deploy read it.</summary>
    public DirectoryPath ModelDirectory => Artifacts.Combine("model");

    /// <summary>
    /// Where the application's sources are (Dockerfiles, projects, config/images.json): the nearest folder above the
    /// host holding config/images.json, else the working directory. Tests run the build in a temp folder.
    /// </summary>
    public DirectoryPath SourceRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, ImageCatalog.DefaultPath)))
                {
                    return new DirectoryPath(dir.FullName);
                }
            }

            return Root;
        }
    }

    /// <summary>The application's images (config/images.json).</summary>
    public ImageCatalog ImageCatalog => _images.Value;

    /// <summary>The serving image of the configured workload (the one of config/images.json that ships its model).</summary>
    public ImageSpec Service =>
        ImageCatalog.ServiceOf(TrainingConfig.Model)
        ?? throw new InvalidOperationException(
            $"config/images.json lists no image with \"model\": \"{TrainingConfig.Model}\" to serve it."
        );

    /// <summary>The SQLite file the served API keeps locally (Serve writes it, CollectDaily reads it): artifacts/&lt;image&gt;.db.</summary>
    public FilePath ServiceDatabase => Artifacts.CombineWithFilePath(Service.Name + ".db");

    /// <summary>The images BuildImages built (and PushImages pushed); also in artifacts/images.json.</summary>
    public IReadOnlyList<BuiltImage>? Images { get; set; }

    public FilePath ImagesFile => Artifacts.CombineWithFilePath(ImageBuilder.ManifestFile);

    /// <summary>What BuildImages built, from this run or from artifacts/images.json when the stage runs alone.</summary>
    public IReadOnlyList<BuiltImage> BuiltImages => Images ?? ImageManifest.Read(ImagesFile.FullPath);

    /// <summary><c>--image-tool</c>: docker (default), podman, or a path to either.</summary>
    public ContainerTool ContainerTool => ContainerTool.Parse(ImageArguments.ImageTool.Get(this), Root);

    /// <summary>A path as people name it: relative to the repository when it is inside, absolute otherwise.</summary>
    public string DisplayPath(string fullPath) => Pipeline.Core.IO.DisplayPath.Of(fullPath, Root.FullPath);

    /// <summary>The dataset store: <c>--storage=s3://bucket/prefix</c> (with <c>--s3-endpoint</c>) or a folder (default artifacts/object-store).</summary>
    public IObjectStorage DatasetStorage()
    {
        var location = CollectionArguments.Storage.Get(this);
        return StorageFactory.Create(
            location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
                ? location
                : this.MakeAbsolute(this.Directory(location)).FullPath,
            CollectionArguments.S3Endpoint.Get(this) is { Length: > 0 } endpoint ? endpoint : null,
            Environment.GetEnvironmentVariable
        );
    }

    /// <summary>The month to build: <c>--year</c> and <c>--month</c>, by default the previous UTC month.</summary>
    public (int Year, int Month) DatasetMonth() =>
        CollectionArguments.Year.IsSet(this) || CollectionArguments.Month.IsSet(this)
            ? (CollectionArguments.Year.Get(this), CollectionArguments.Month.Get(this))
            : MonthlyBuilder.PreviousMonth(DateTimeOffset.UtcNow);

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

    /// <summary>The training config when one is named or the default file exists; stages that only move data need none.</summary>
    public TrainingConfig? TrainingConfigIfAny =>
        TrainingArguments.Config.IsSet(this) || this.FileExists(this.File(TrainingArguments.Config.Get(this)))
            ? TrainingConfig
            : null;

    /// <summary>The one dataset Train trains on: <c>--dataset</c>, else the config's; absolute.</summary>
    public string TrainingDataset
    {
        get
        {
            var dataset = TrainingArguments.Dataset.Get(this) switch
            {
                [] => TrainingConfig.Dataset
                    ?? throw new InvalidOperationException(
                        $"--dataset: no dataset given and {TrainingConfig.Source} names none."
                    ),
                [var one] => one,
                var many => throw new InvalidOperationException(
                    $"--dataset: Train trains on one dataset, not {many.Count} ({string.Join(", ", many)})."
                ),
            };
            return this.MakeAbsolute(this.File(dataset)).FullPath;
        }
    }

    /// <summary>The config's fixed evaluation set (<c>eval_dataset</c>), absolute; null when it splits the data instead.</summary>
    public string? EvaluationDataset =>
        TrainingConfig.EvalDataset is { } evaluation ? this.MakeAbsolute(this.File(evaluation)).FullPath : null;

    /// <summary>What Train produced; later stages track, extract and package it.</summary>
    public TrainingResult? Training { get; set; }

    /// <summary>The gate's verdict on <see cref="Training"/>.</summary>
    public GateResult? Gate { get; set; }

    /// <summary>What PullDataset restored: each output's path and md5, for the training run's lineage tags.</summary>
    public IReadOnlyList<DatasetRecord> Datasets { get; set; } = [];

    /// <summary>Transfer settings from <c>--remote</c>, <c>--jobs</c> and <c>--force</c>, with credentials from the environment.</summary>
    public TransferOptions TransferOptions() =>
        new()
        {
            RemoteName = DataArguments.Remote.Get(this) is { Length: > 0 } remote ? remote : null,
            Jobs = DataArguments.Jobs.Get(this) is > 0 and var jobs ? jobs : null,
            Force = DataArguments.Force.Get(this),
            Environment = Environment.GetEnvironmentVariable,
            Log = message => this.Information(message),
        };
}

/// <summary>A dataset the run used: its path from the repository root and its DVC md5.</summary>
public sealed record DatasetRecord(string Path, string Md5, long? Size);
