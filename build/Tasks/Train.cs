using System.Globalization;
using Pipeline.Cake.BuildServers;
using Pipeline.Tracking;
using Pipeline.Tracking.Training;
using Pipeline.Training;

namespace Pipeline.Build.Tasks;

[TaskName("Train")]
[TaskDescription("Trains and evaluates the configured model in a tracked run (--dataset=path.csv, --config, --param key=value, --smoke), then enforces the quality gate (floors, and champion/challenger).")]
[IsDependentOn(typeof(PullDataset))]
public sealed class Train(IEnumerable<IModelTrainer> trainers) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var config = context.TrainingConfig;
        var trainer = trainers.SingleOrDefault(t => t.Name == config.Model)
            ?? throw new InvalidOperationException($"{config.Source}: model '{config.Model}' has no trainer; known: {string.Join(", ", trainers.Select(t => t.Name))}.");
        var dataset = context.Argument("dataset", config.Dataset ?? string.Empty);
        if (dataset.Length == 0)
        {
            throw new InvalidOperationException($"--dataset: no dataset given and {config.Source} names none.");
        }

        var datasetPath = context.MakeAbsolute(context.File(dataset)).FullPath;
        var result = await TrackedTraining.RunAsync(context.Tracking, context.Tracking == context.LocalRuns ? null : context.LocalRuns, trainer,
            new TrainingRequest(datasetPath, context.Artifacts.Combine("training").FullPath, config, context.HasArgument("smoke"), message => context.Information(message)),
            $"{config.Model}-{context.Version.Version}", context.LineageTags(), context.DisplayPath(datasetPath), message => context.Warning(message),
            started: run =>
            {
                context.TrainingRun = run.Info;
                context.Information("Tracking run {0} in {1}", run.Info.RunId, run.Store.Location);
            });
        context.TrainingRun = result.Run.Info;
        context.Training = result.Training;
        context.Gate = result.Gate;
        Summarize(context, result.Run, result.Version);
        if (!context.Gate.Passed)
        {
            throw new InvalidOperationException(context.Gate.Describe());
        }
    }

    /// <summary>On a CI server, a link readers can open: Jenkins serves archived artifacts, GitHub lists them on the run page.</summary>
    private static string ReportLink(BuildContext context, string report)
    {
        var relative = context.DisplayPath(report);
        return context.Server switch
        {
            { Kind: BuildServerKind.Jenkins, BuildUrl: { } url } => $"[model report]({url.TrimEnd('/')}/artifact/{relative})",
            { Kind: BuildServerKind.GitHubActions, BuildUrl: { } url } => $"[model report]({url}) (artifact `pipeline-artifacts`, `{relative}`)",
            _ => $"`{relative}`",
        };
    }

    private static void Summarize(BuildContext context, TrackedRun run, ModelVersion? version)
    {
        var result = context.Training!;
        var report = System.IO.Path.Combine(result.ReportDirectory, "report.html");
        var table = string.Join('\n', result.Metrics.Select(m => $"| {m.Key} | {m.Value.ToString("0.0000", CultureInfo.InvariantCulture)} |"));
        var registered = version is null ? "not registered" : $"registered as {version.Name} v{version.Version} (challenger)";
        context.Summary.SetSection("Training metrics",
            $"| metric | value |\n|---|---:|\n{table}\n\n{context.Gate!.Describe()}\n\nRun `{run.Info.RunId}` in {run.Store.Location}, {registered}. Report: {ReportLink(context, report)}");
        context.Information("Model:  {0}", result.ModelDirectory);
        context.Information("Report: {0}", report);
        context.Information("Run:    {0} ({1}), {2}", run.Info.RunId, run.Store.Location, registered);
        context.Information(context.Gate.Describe());
    }
}
