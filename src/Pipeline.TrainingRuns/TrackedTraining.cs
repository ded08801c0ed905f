using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
using Pipeline.Training;

namespace Pipeline.TrainingRuns;

/// <summary>What one tracked training produced: the run, the model and reports, the gate's verdict, the registered version if it passed.</summary>
public sealed record TrackedTrainingResult(
    TrackedRun Run,
    TrainingResult Training,
    GateResult Gate,
    ModelVersion? Version,
    Champion? Champion
);

/// <param name="Store">Where the run is tracked.</param>
/// <param name="Fallback">Where the run continues when <paramref name="Store"/> (a server) becomes unreachable.</param>
/// <param name="DatasetDisplayPath">The dataset as people name it, for the lineage tag.</param>
/// <param name="Warn">Where warnings go (a fallback, a missing champion).</param>
/// <param name="Started">Told the run once it exists, before training begins.</param>
/// <param name="AllowNoChampion">Train without the champion comparison when the champion cannot be looked up (<c>--allow-no-champion</c>).</param>
public sealed record TrackedTrainingRequest(
    ITrackingStore Store,
    FileTrackingStore? Fallback,
    IModelTrainer Trainer,
    TrainingRequest Training,
    string RunName,
    IReadOnlyDictionary<string, string> Tags,
    string DatasetDisplayPath,
    Action<string> Warn,
    Action<TrackedRun>? Started = null,
    bool AllowNoChampion = false
);

/// <summary>
/// The Train stage's work, for any entry point (the build, the training Job): a tracked run, the champion to beat,
/// training, the gate, everything recorded. The run ends Finished, or Failed with the reason when anything throws.
/// </summary>
public static class TrackedTraining
{
    /// <summary>The trainer the config names; an unknown name is an error listing the known ones.</summary>
    public static IModelTrainer Find(IEnumerable<IModelTrainer> trainers, TrainingConfig config)
    {
        var known = trainers.ToList();
        return known.SingleOrDefault(t => t.Name == config.Model)
            ?? throw new TrainingDataException(
                $"{config.Source}: model '{config.Model}' has no trainer; known: {string.Join(", ", known.Select(t => t.Name))}."
            );
    }

    /// <summary>
    /// The trainer whose model an extracted folder holds, known by the MLflow flavor in its MLmodel file; null when the
    /// folder has no model or no trainer claims its flavor.
    /// </summary>
    public static IModelTrainer? TrainerOf(IEnumerable<IModelTrainer> trainers, string modelDirectory)
    {
        var mlmodel = Path.Combine(modelDirectory, MlModelFile.FileName);
        if (!File.Exists(mlmodel))
        {
            return null;
        }

        var flavors = MlModelFile.ReadFlavors(mlmodel);
        return trainers.FirstOrDefault(t => flavors.Contains(t.Flavor));
    }

    public static async Task<TrackedTrainingResult> RunAsync(
        TrackedTrainingRequest request,
        CancellationToken cancellationToken = default
    )
    {
        var config = request.Training.Config;
        var run = await TrackedRun.StartAsync(
            request.Store,
            request.Fallback,
            config.Experiment,
            request.RunName,
            request.Tags,
            request.Warn,
            cancellationToken
        );
        request.Started?.Invoke(run);
        try
        {
            var training = request.Trainer.Train(request.Training, cancellationToken);
            var champion = await ChampionScoring.FindAsync(run, request, cancellationToken);
            var gate = QualityGate.Evaluate(training.Metrics, config.Gate, champion);
            var version = await TrainingTracking.RecordAsync(
                run,
                new TrainingRecord(training, gate, champion),
                config.RegisteredModel,
                request.DatasetDisplayPath,
                cancellationToken
            );
            await run.EndAsync(RunStatus.Finished, cancellationToken);
            return new TrackedTrainingResult(run, training, gate, version, champion);
        }
        catch (Exception ex)
        {
            var reason = ex.Message.Length > 4000 ? ex.Message[..4000] : ex.Message;
            await run.SetTagsAsync(
                new Dictionary<string, string> { ["pipeline.failure"] = reason },
                CancellationToken.None
            );
            await run.EndAsync(RunStatus.Failed, CancellationToken.None);
            throw;
        }
    }
}
