using System.Globalization;
using Pipeline.Training;

namespace Pipeline.Build.Tasks;

[TaskName("Train")]
[TaskDescription("Trains and evaluates the configured model (--dataset=path.csv, --config, --param key=value, --smoke for a seconds-long run), then enforces the quality gate.")]
[IsDependentOn(typeof(PullDataset))]
public sealed class Train(IEnumerable<IModelTrainer> trainers) : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var config = context.TrainingConfig;
        var trainer = trainers.SingleOrDefault(t => t.Name == config.Model)
            ?? throw new InvalidOperationException($"{config.Source}: model '{config.Model}' has no trainer; known: {string.Join(", ", trainers.Select(t => t.Name))}.");
        var dataset = context.Argument("dataset", config.Dataset ?? string.Empty);
        if (dataset.Length == 0)
        {
            throw new InvalidOperationException($"--dataset: no dataset given and {config.Source} names none.");
        }

        var request = new TrainingRequest(
            context.MakeAbsolute(context.File(dataset)).FullPath,
            context.Artifacts.Combine("training").FullPath,
            config,
            context.HasArgument("smoke"),
            message => context.Information(message));
        context.Training = trainer.Train(request);
        context.Gate = QualityGate.Evaluate(context.Training.Metrics, config.Gate, champion: null);

        var table = string.Join('\n', context.Training.Metrics.Select(m => $"| {m.Key} | {m.Value.ToString("0.0000", CultureInfo.InvariantCulture)} |"));
        context.Summary.SetSection("Training metrics", $"| metric | value |\n|---|---:|\n{table}\n\n{context.Gate.Describe()}\n\nReport: `{System.IO.Path.Combine(context.Training.ReportDirectory, "report.html")}`");
        context.Information("Model:  {0}", context.Training.ModelDirectory);
        context.Information("Report: {0}", System.IO.Path.Combine(context.Training.ReportDirectory, "report.html"));
        context.Information(context.Gate.Describe());
        if (!context.Gate.Passed)
        {
            throw new InvalidOperationException(context.Gate.Describe());
        }
    }
}
