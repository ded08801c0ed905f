using Pipeline.Cake.BuildServers;
using Pipeline.TrainingRuns;

namespace Pipeline.Build.Reporting;

/// <summary>What the Train stage records for later stages and tells people: the metrics beside the champion's, the behaviour suite, the gate's verdict, where the run and the report are.</summary>
public static class TrainingReport
{
    public static void Summarize(BuildContext context, TrackedTrainingResult result)
    {
        var training = result.Training;
        (context.TrainingRun, context.Training, context.Gate) = (result.Run.Info, training, result.Gate);
        var report = System.IO.Path.Combine(training.ReportDirectory, "report.html");
        var registered = result.Version is { } version
            ? $"registered as {version.Name} v{version.Version} (challenger)"
            : "not registered";
        context.Summary.SetSection(
            "Training metrics",
            $"{TrainingSummary.Metrics(result)}\n{result.Gate.Describe()}\n\n"
                + $"Run `{result.Run.Info.RunId}` in {result.Run.Store.Location}, {registered}. Report: {ReportLink(context, report)}"
        );
        var behaviour = TrainingSummary.Behaviour(training, context.TrainingConfig.Gate);
        if (behaviour.Length > 0)
        {
            context.Summary.SetSection("Behaviour", behaviour);
            context.Information("Behaviour suite (pass rate per capability):\n{0}", behaviour.TrimEnd());
        }

        context.Information("Model:  {0}", training.ModelDirectory);
        context.Information("Report: {0}", report);
        context.Information("Run:    {0} ({1}), {2}", result.Run.Info.RunId, result.Run.Store.Location, registered);
        context.Information(result.Gate.Describe());
    }

    /// <summary>On a CI server, a link readers can open: Jenkins serves archived artifacts, GitHub lists them on the run page.</summary>
    private static string ReportLink(BuildContext context, string report)
    {
        var relative = context.DisplayPath(report);
        return context.Server switch
        {
            { Kind: BuildServerKind.Jenkins, BuildUrl: { } url } =>
                $"[model report]({url.TrimEnd('/')}/artifact/{relative})",
            { Kind: BuildServerKind.GitHubActions, BuildUrl: { } url } =>
                $"[model report]({url}) (artifact `pipeline-artifacts`, `{relative}`)",
            _ => $"`{relative}`",
        };
    }
}
