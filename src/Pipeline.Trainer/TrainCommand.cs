using System.Globalization;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
using Pipeline.Tracking.Training;
using Pipeline.Training;

namespace Pipeline.Trainer;

/// <summary>
/// <c>pipeline-train --dataset data.csv [--config config/training.json] [--out artifacts/training] [--param k=v]… [--smoke]
/// [--tracking URI] [--extract-to DIR] [--dataset-md5 MD5 --dataset-remote URL]</c>: the Train and ExtractModel stages for
/// containers (the continuous-training Job). With <c>--dataset-md5</c> the dataset version is first fetched from the DVC
/// remote to <c>--dataset</c> and verified.
/// Trains in a tracked run (<c>--tracking</c>, MLFLOW_TRACKING_URI, or <c>./mlruns</c>) with the champion/challenger gate, and when
/// the gate passes replaces <c>--extract-to</c> whole with the model and its lineage.json: the serving API hot-reloads it.
/// Exits 1 when the gate fails (nothing is extracted), 2 on bad input.
/// </summary>
public static class TrainCommand
{
    public static IReadOnlyList<IModelTrainer> Trainers { get; } = [new Sentiment.Model.SentimentTrainer()];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        try
        {
            var options = Parse(args);
            var config = TrainingConfig.Load(options.Config, options.Params);
            var trainer = Trainers.SingleOrDefault(t => t.Name == config.Model)
                ?? throw new TrainingDataException($"{config.Source}: model '{config.Model}' has no trainer; known: {string.Join(", ", Trainers.Select(t => t.Name))}.");
            var dataset = Path.GetFullPath(options.Dataset ?? config.Dataset ?? throw new TrainingDataException("--dataset is required (the config names no dataset)."));
            if ((options.DatasetMd5 is null) != (options.DatasetRemote is null))
            {
                throw new TrainingDataException("--dataset-md5 and --dataset-remote go together: which version, from where.");
            }

            if (options.DatasetMd5 is { } md5)
            {
                await DatasetFetch.FetchAsync(md5, options.DatasetRemote!, dataset, environment);
                output.WriteLine($"dataset {md5} from {options.DatasetRemote} → {dataset}");
            }
            if (!File.Exists(dataset))
            {
                throw new TrainingDataException($"{dataset}: the dataset does not exist."); // before any run is tracked
            }

            var outputFolder = Path.GetFullPath(options.Output);
            var local = new FileTrackingStore(Path.GetFullPath("mlruns")); // MLflow's own default; never inside --out, which is replaced whole
            var trackingUri = options.Tracking ?? environment("MLFLOW_TRACKING_URI");
            var store = trackingUri is { Length: > 0 } ? TrackingStores.Create(trackingUri, local.Location, environment) : local;
            var result = await TrackedTraining.RunAsync(store, store == local ? null : local, trainer,
                new TrainingRequest(dataset, outputFolder, config, options.Smoke, output.WriteLine),
                $"{config.Model}-{environment("PIPELINE_CONFIG_HASH") ?? "local"}", Tags(config, environment), dataset, error.WriteLine);
            foreach (var (key, value) in result.Training.Metrics)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-20} {value:0.0000}"));
            }

            output.WriteLine($"run     {result.Run.Info.RunId} in {result.Run.Store.Location}");
            output.WriteLine($"report  {Path.Combine(result.Training.ReportDirectory, "report.html")}");
            (result.Gate.Passed ? output : error).WriteLine(result.Gate.Describe());
            if (!result.Gate.Passed)
            {
                return 1;
            }

            if (options.ExtractTo is { } target)
            {
                var model = await ModelExtractor.ExtractAsync(result.Run.Store, new ModelReference(config.Experiment, result.Run.Info.RunId, null, config.RegisteredModel), target);
                output.WriteLine($"model   {model.Directory} ({model.Bytes:N0} bytes, run {model.RunId})");
            }
            else
            {
                output.WriteLine($"model   {result.Training.ModelDirectory}");
            }

            return 0;
        }
        catch (TrainingDataException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
        catch (TrackingException ex)
        {
            await error.WriteLineAsync("error: tracking: " + ex.Message);
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + ex.Message); // names the path: a read-only or full volume
            return 2;
        }
    }

    /// <summary>Lineage for runs made inside the cluster: which config change and image trained them.</summary>
    private static Dictionary<string, string> Tags(TrainingConfig config, Func<string, string?> environment)
    {
        var tags = new Dictionary<string, string>
        {
            ["mlflow.source.name"] = "pipeline-train",
            ["mlflow.source.type"] = "JOB",
            ["mlflow.user"] = environment("USER") ?? "pipeline",
            ["pipeline.config.hash"] = config.Hash,
        };
        foreach (var (tag, variable) in new[] { ("pipeline.dataset_config.hash", "PIPELINE_CONFIG_HASH"), ("mlflow.source.git.commit", "PIPELINE_COMMIT"), ("pipeline.image.tag", "PIPELINE_IMAGE_TAG") })
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                tags[tag] = value;
            }
        }

        return tags;
    }

    private sealed record Options(string? Dataset, string Config, string Output, List<string> Params, bool Smoke, string? Tracking, string? ExtractTo,
        string? DatasetMd5 = null, string? DatasetRemote = null);

    private static Options Parse(string[] args)
    {
        var options = new Options(null, "config/training.json", "artifacts/training", [], false, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new TrainingDataException($"{name} needs a value."));
            options = name switch
            {
                "--dataset" => options with { Dataset = Value() },
                "--config" => options with { Config = Value() },
                "--out" => options with { Output = Value() },
                "--param" => options with { Params = [.. options.Params, Value()] },
                "--smoke" => options with { Smoke = true },
                "--tracking" => options with { Tracking = Value() },
                "--extract-to" => options with { ExtractTo = Value() },
                "--dataset-md5" => options with { DatasetMd5 = Value() },
                "--dataset-remote" => options with { DatasetRemote = Value() },
                _ => throw new TrainingDataException($"unknown option '{args[i]}'; use --dataset, --config, --out, --param key=value, --smoke, --tracking, --extract-to, --dataset-md5, --dataset-remote."),
            };
        }

        return options;
    }
}
