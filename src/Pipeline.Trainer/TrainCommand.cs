using System.Globalization;
using Pipeline.Training;

namespace Pipeline.Trainer;

/// <summary>
/// <c>pipeline-train --dataset data.csv [--config config/training.json] [--out artifacts/training] [--param k=v]… [--smoke]</c>:
/// trains the configured model, writes it and its reports, and exits 1 when the quality gate's floors are not met,
/// 2 on bad input. The champion comparison needs the registry and happens in the Train stage.
/// </summary>
public static class TrainCommand
{
    public static IReadOnlyList<IModelTrainer> Trainers { get; } = [new Sentiment.Model.SentimentTrainer()];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var options = Parse(args);
            var config = TrainingConfig.Load(options.Config, options.Params);
            var trainer = Trainers.SingleOrDefault(t => t.Name == config.Model)
                ?? throw new TrainingDataException($"{config.Source}: model '{config.Model}' has no trainer; known: {string.Join(", ", Trainers.Select(t => t.Name))}.");
            var dataset = options.Dataset ?? config.Dataset ?? throw new TrainingDataException("--dataset is required (the config names no dataset).");
            var result = trainer.Train(new TrainingRequest(Path.GetFullPath(dataset), Path.GetFullPath(options.Output), config, options.Smoke, output.WriteLine));
            foreach (var (key, value) in result.Metrics)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-20} {value:0.0000}"));
            }

            output.WriteLine($"model   {result.ModelDirectory}");
            output.WriteLine($"report  {Path.Combine(result.ReportDirectory, "report.html")}");
            var gate = QualityGate.Evaluate(result.Metrics, config.Gate, champion: null);
            (gate.Passed ? output : error).WriteLine(gate.Describe());
            return gate.Passed ? 0 : 1;
        }
        catch (TrainingDataException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }

    private sealed record Options(string? Dataset, string Config, string Output, List<string> Params, bool Smoke);

    private static Options Parse(string[] args)
    {
        var options = new Options(null, "config/training.json", "artifacts/training", [], false);
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
                _ => throw new TrainingDataException($"unknown option '{args[i]}'; use --dataset, --config, --out, --param key=value, --smoke."),
            };
        }

        return options;
    }
}
