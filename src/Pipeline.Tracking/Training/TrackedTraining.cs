using Pipeline.Tracking.FileStore;
using Pipeline.Training;

namespace Pipeline.Tracking.Training;

/// <summary>What one tracked training produced: the run, the model and reports, the gate's verdict, the registered version if it passed.</summary>
public sealed record TrackedTrainingResult(TrackedRun Run, TrainingResult Training, GateResult Gate, ModelVersion? Version);

/// <summary>
/// The Train stage's work, for any entry point (the build, the training container): a tracked run, the champion to
/// beat, training, the gate, everything recorded. The run ends Finished, or Failed with the reason when anything throws.
/// </summary>
public static class TrackedTraining
{
    public static async Task<TrackedTrainingResult> RunAsync(
        ITrackingStore store,
        FileTrackingStore? fallback,
        IModelTrainer trainer,
        TrainingRequest request,
        string runName,
        IReadOnlyDictionary<string, string> tags,
        string datasetDisplayPath,
        Action<string> warn,
        Action<TrackedRun>? started = null,
        CancellationToken cancellationToken = default)
    {
        var config = request.Config;
        var run = await TrackedRun.StartAsync(store, fallback, config.Experiment, runName, tags, warn, cancellationToken);
        started?.Invoke(run);
        try
        {
            var champion = await TrainingTracking.ChampionAsync(run.Store, config.RegisteredModel, cancellationToken);
            var training = trainer.Train(request);
            var gate = QualityGate.Evaluate(training.Metrics, config.Gate, champion);
            var version = await TrainingTracking.RecordAsync(run, training, gate, config.RegisteredModel, datasetDisplayPath, cancellationToken);
            await run.EndAsync(RunStatus.Finished, cancellationToken);
            return new TrackedTrainingResult(run, training, gate, version);
        }
        catch (Exception ex)
        {
            await run.SetTagsAsync(new Dictionary<string, string> { ["pipeline.failure"] = ex.Message.Length > 4000 ? ex.Message[..4000] : ex.Message }, CancellationToken.None);
            await run.EndAsync(RunStatus.Failed, CancellationToken.None);
            throw;
        }
    }
}
