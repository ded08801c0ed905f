using System.Globalization;
using Pipeline.Tracking;
using Pipeline.Training;

namespace Pipeline.TrainingRuns;

/// <summary>What one training produced and how the gate judged it against the champion.</summary>
public sealed record TrainingRecord(TrainingResult Result, GateResult Gate, Champion? Champion);

/// <summary>Runs a training inside a tracked run and records everything it produced, whatever the model.</summary>
public static class TrainingTracking
{
    public const string ModelArtifactPath = "model";
    public const string ReportArtifactPath = "reports";

    /// <summary>The champion's metrics, measured in the challenger's run, are logged under this prefix.</summary>
    public const string ChampionMetricPrefix = "champion.";

    /// <summary>
    /// The training data as an MLflow dataset input: named by its path, its md5 as the digest, a local source (the
    /// form <c>mlflow.data</c>'s local sources write) and its row count as the profile.
    /// </summary>
    public static DatasetInput TrainingInput(DatasetSummary dataset, string displayPath) =>
        new(
            displayPath,
            dataset.Md5,
            "local",
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["uri"] = displayPath }),
            null,
            System.Text.Json.JsonSerializer.Serialize(
                new Dictionary<string, long> { ["num_rows"] = dataset.Rows, ["num_train_rows"] = dataset.TrainRows }
            ),
            new Dictionary<string, string> { [DatasetInput.ContextTag] = "training" }
        );

    /// <summary>
    /// Params, metrics (with their steps, and the champion's as <c>champion.*</c>), dataset, gate and champion tags,
    /// the reports, and the model folder with its MLmodel file. Returns the registered version when the gate passed.
    /// </summary>
    /// <param name="datasetPath">The dataset as people name it (relative to the repository), for the lineage tag.</param>
    public static async Task<ModelVersion?> RecordAsync(
        TrackedRun run,
        TrainingRecord record,
        string registeredModel,
        string datasetPath,
        CancellationToken cancellationToken = default
    )
    {
        var (result, gate, champion) = record;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await run.LogParamsAsync(result.Params, cancellationToken);
        var metrics = result
            .Metrics.Select(m => new Metric(m.Key, m.Value, now, 0))
            .Concat(result.History.Select(h => new Metric(h.Key, h.Value, h.Timestamp > 0 ? h.Timestamp : now, h.Step)))
            .Concat(
                champion
                    ?.Metrics.Where(m => double.IsFinite(m.Value))
                    .Select(m => new Metric(ChampionMetricPrefix + m.Key, m.Value, now, 0))
                    ?? []
            )
            .ToList();
        await run.LogMetricsAsync(metrics, cancellationToken);
        await run.LogInputsAsync([TrainingInput(result.Dataset, datasetPath)], cancellationToken);
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
                ["pipeline.champion"] = champion switch
                {
                    null => "none",
                    { UnknownBecause: { } reason } => "unknown: " + reason,
                    { Rescored: true } => champion.Name + " (re-scored on this run's evaluation rows)",
                    _ => champion.Name + " (as logged in its own run)",
                },
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
