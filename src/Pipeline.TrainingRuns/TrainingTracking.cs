using System.Globalization;
using Pipeline.Tracking;
using Pipeline.Training;

namespace Pipeline.TrainingRuns;

/// <summary>Runs a training inside a tracked run and records everything it produced, whatever the model.</summary>
public static class TrainingTracking
{
    public const string ModelArtifactPath = "model";
    public const string ReportArtifactPath = "reports";

    /// <summary>The champion to beat: the registered model's <c>champion</c> version and its run's metrics.</summary>
    public static async Task<Champion?> ChampionAsync(
        ITrackingStore store,
        string registeredModel,
        CancellationToken cancellationToken = default
    )
    {
        var champion = await new ModelRegistry(store).GetChampionAsync(registeredModel, cancellationToken);
        return champion is { } c
            ? new Champion(
                $"{registeredModel} v{c.Version.Version}",
                c.Run.Metrics.ToDictionary(m => m.Key, m => m.Value.Value)
            )
            : null;
    }

    /// <summary>
    /// Params, metrics (with their steps), dataset and gate tags, the reports, and the model folder with its MLmodel file.
    /// Returns the registered version when the gate passed.
    /// </summary>
    /// <param name="datasetPath">The dataset as people name it (relative to the repository), for the lineage tag.</param>
    public static async Task<ModelVersion?> RecordAsync(
        TrackedRun run,
        TrainingResult result,
        GateResult gate,
        string registeredModel,
        string datasetPath,
        CancellationToken cancellationToken = default
    )
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await run.LogParamsAsync(result.Params, cancellationToken);
        var metrics = result
            .Metrics.Select(m => new Metric(m.Key, m.Value, now, 0))
            .Concat(result.History.Select(h => new Metric(h.Key, h.Value, now, h.Step)))
            .ToList();
        await run.LogMetricsAsync(metrics, cancellationToken);
        await run.SetTagsAsync(
            new Dictionary<string, string>
            {
                ["pipeline.dataset.path"] = datasetPath,
                ["pipeline.dataset.md5"] = result.Dataset.Md5,
                ["pipeline.dataset.rows"] = result.Dataset.Rows.ToString(CultureInfo.InvariantCulture),
                ["pipeline.dataset.malformed_rows"] = result.Dataset.Malformed.Count.ToString(
                    CultureInfo.InvariantCulture
                ),
                [ModelExtractor.GateTag] = gate.Passed ? "passed" : "failed",
                ["pipeline.gate.detail"] = gate.Describe(),
            },
            cancellationToken
        );
        await run.LogArtifactsAsync(result.ReportDirectory, ReportArtifactPath, cancellationToken);
        var (_, history) = MlModelFile.Write(
            result.ModelDirectory,
            result.Flavor,
            result.FlavorSettings,
            run.Info.RunId,
            ModelArtifactPath,
            [.. result.Signature.Inputs.Select(c => new SignatureColumn(c.Name, c.Type))],
            [.. result.Signature.Outputs.Select(c => new SignatureColumn(c.Name, c.Type))]
        );
        await run.SetTagsAsync(
            new Dictionary<string, string> { ["mlflow.log-model.history"] = $"[{history}]" },
            cancellationToken
        );
        await run.LogArtifactsAsync(result.ModelDirectory, ModelArtifactPath, cancellationToken);
        return gate.Passed
            ? await new ModelRegistry(run.Store).RegisterChallengerAsync(
                registeredModel,
                run.Info,
                ModelArtifactPath,
                new Dictionary<string, string> { ["pipeline.dataset.md5"] = result.Dataset.Md5 },
                cancellationToken
            )
            : null;
    }
}
