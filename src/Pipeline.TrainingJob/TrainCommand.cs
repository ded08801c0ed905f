using System.ComponentModel;
using Pipeline.Cli;
using Pipeline.DataVersioning;
using Pipeline.DataVersioning.Operations;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
using Pipeline.Training;
using Pipeline.TrainingRuns;
using Pipeline.Workloads;
using Spectre.Console.Cli;

namespace Pipeline.TrainingJob;

/// <summary>
/// <c>pipeline-train</c>: the Train and ExtractModel stages for containers (the continuous-training Job). With
/// <c>--dataset-md5</c> the dataset version is first fetched from the DVC remote to <c>--dataset</c> and verified. Trains
/// in a tracked run with the champion/challenger gate, and when the gate passes replaces <c>--extract-to</c> whole with
/// the model and its lineage.json: the serving API hot-reloads it. Exit codes: <see cref="ConsoleApp"/>'s (1: the gate failed).
/// </summary>
public sealed class TrainCommand(ConsoleIO io) : AsyncCommand<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--dataset <PATH>")]
        [Description("The training data (CSV). Default: the config's dataset.")]
        public string? Dataset { get; init; }

        [CommandOption("--config <FILE>")]
        [Description("The training config.")]
        [DefaultValue("config/training.json")]
        public string Config { get; init; } = "config/training.json";

        [CommandOption("--out <DIR>")]
        [Description("Where the model and its reports are written (replaced whole).")]
        [DefaultValue("artifacts/training")]
        public string Output { get; init; } = "artifacts/training";

        [CommandOption("--param <KEY=VALUE>")]
        [Description("Overrides one hyper-parameter; repeatable.")]
        public string[] Params { get; init; } = [];

        [CommandOption("--smoke")]
        [Description("Train on the first rows only.")]
        public bool Smoke { get; init; }

        [CommandOption("--tracking <URI>")]
        [Description("Tracking server or folder. Default: MLFLOW_TRACKING_URI, else ./mlruns.")]
        public string? Tracking { get; init; }

        [CommandOption("--extract-to <DIR>")]
        [Description("Replace this folder whole with the model and lineage.json when the gate passes.")]
        public string? ExtractTo { get; init; }

        [CommandOption("--allow-no-champion")]
        [Description("Train without the champion comparison when the registry cannot be reached.")]
        public bool AllowNoChampion { get; init; }

        [CommandOption("--dataset-md5 <MD5>")]
        [Description("Fetch this DVC version of the dataset first (with --dataset-remote).")]
        public string? DatasetMd5 { get; init; }

        [CommandOption("--dataset-remote <URL>")]
        [Description("The DVC remote to fetch --dataset-md5 from: a folder, http(s):// or s3://.")]
        public string? DatasetRemote { get; init; }
    }

    /// <summary>The process entry point, with the exit codes the Job's restart policy and the watcher read.</summary>
    public static Task<int> RunAsync(string[] args, ConsoleIO io) =>
        ConsoleApp.RunAsync<TrainCommand>(
            "pipeline-train",
            args,
            io,
            ex =>
                ex
                    is TrainingDataException
                        or TrackingException
                        or DvcException
                        or IOException
                        or UnauthorizedAccessException
        );

    public override async Task<int> ExecuteAsync(
        CommandContext context,
        Settings settings,
        CancellationToken cancellationToken
    )
    {
        var config = TrainingConfig.Load(settings.Config, settings.Params);
        var trainer = TrackedTraining.Find(WorkloadCatalog.Trainers, config);
        var dataset = Path.GetFullPath(
            settings.Dataset
                ?? config.Dataset
                ?? throw new TrainingDataException("--dataset is required (the config names no dataset).")
        );
        await FetchAsync(settings, dataset, cancellationToken);
        if (!File.Exists(dataset))
        {
            throw new TrainingDataException($"{dataset}: the dataset does not exist."); // before any run is tracked
        }

        var local = new FileTrackingStore(Path.GetFullPath("mlruns")); // MLflow's own default; never inside --out, which is replaced whole
        var trackingUri = settings.Tracking ?? io.Environment("MLFLOW_TRACKING_URI");
        var store = trackingUri is { Length: > 0 }
            ? TrackingStores.Create(trackingUri, local.Location, io.Environment)
            : local;
        var result = await TrackedTraining.RunAsync(
            new TrackedTrainingRequest(
                store,
                store == local ? null : local,
                trainer,
                new TrainingRequest(
                    dataset,
                    Path.GetFullPath(settings.Output),
                    config,
                    settings.Smoke,
                    io.Output.WriteLine
                )
                {
                    EvaluationDatasetPath = config.EvalDataset is { } evaluation ? Path.GetFullPath(evaluation) : null,
                },
                $"{config.Model}-{io.Environment("PIPELINE_CONFIG_HASH") ?? "local"}",
                Tags(config),
                dataset,
                io.Error.WriteLine,
                AllowNoChampion: settings.AllowNoChampion
            ),
            cancellationToken
        );
        Report(result, config.Gate);
        if (!result.Gate.Passed)
        {
            return ConsoleApp.CheckFailed;
        }

        if (settings.ExtractTo is { } target)
        {
            var model = await ModelExtractor.ExtractAsync(
                result.Run.Store,
                new ModelReference(config.Experiment, result.Run.Info.RunId, null, config.RegisteredModel),
                target,
                cancellationToken
            );
            io.Output.WriteLine($"model   {model.Directory} ({model.Bytes:N0} bytes, run {model.RunId})");
        }
        else
        {
            io.Output.WriteLine($"model   {result.Training.ModelDirectory}");
        }

        return ConsoleApp.Succeeded;
    }

    private async Task FetchAsync(Settings settings, string dataset, CancellationToken cancellationToken)
    {
        if ((settings.DatasetMd5 is null) != (settings.DatasetRemote is null))
        {
            throw new TrainingDataException(
                "--dataset-md5 and --dataset-remote go together: which version, from where."
            );
        }

        if (settings.DatasetMd5 is { } md5)
        {
            await DataFetch.FetchAsync(md5, settings.DatasetRemote!, dataset, io.Environment, cancellationToken);
            io.Output.WriteLine($"dataset {md5} from {settings.DatasetRemote} → {dataset}");
        }
    }

    private void Report(TrackedTrainingResult result, GateOptions gate)
    {
        io.Output.Write(TrainingSummary.Metrics(result));
        io.Output.Write(TrainingSummary.Behaviour(result.Training, gate));
        io.Output.WriteLine($"run     {result.Run.Info.RunId} in {result.Run.Store.Location}");
        io.Output.WriteLine($"report  {Path.Combine(result.Training.ReportDirectory, "report.html")}");
        (result.Gate.Passed ? io.Output : io.Error).WriteLine(result.Gate.Describe());
    }

    /// <summary>Lineage for runs made inside the cluster: which config change and image trained them.</summary>
    private Dictionary<string, string> Tags(TrainingConfig config)
    {
        var tags = new Dictionary<string, string>
        {
            ["mlflow.source.name"] = "pipeline-train",
            ["mlflow.source.type"] = "JOB",
            ["mlflow.user"] = io.Environment("USER") ?? "pipeline",
            ["pipeline.config.hash"] = config.Hash,
        };
        foreach (
            var (tag, variable) in new[]
            {
                ("pipeline.dataset_config.hash", "PIPELINE_CONFIG_HASH"),
                ("mlflow.source.git.commit", "PIPELINE_COMMIT"),
                ("pipeline.image.tag", "PIPELINE_IMAGE_TAG"),
            }
        )
        {
            if (io.Environment(variable) is { Length: > 0 } value)
            {
                tags[tag] = value;
            }
        }

        return tags;
    }
}
