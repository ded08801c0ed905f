using Pipeline.Tracking;
using Pipeline.Training;

namespace Pipeline.TrainingRuns;

/// <summary>
/// The champion a challenger must beat, measured fairly: its model is fetched through the registry and scored by the
/// challenger's trainer on the challenger's own evaluation rows and behaviour probes, in the same run. A champion
/// that cannot be looked up (the registry unreachable, the run fell back to local files) is unknown and the gate
/// fails closed, unless the caller allows training without the comparison.
/// </summary>
public static class ChampionScoring
{
    /// <summary>The champion, re-scored; null when the registered model has no champion yet (the first model).</summary>
    public static async Task<Champion?> FindAsync(
        TrackedRun run,
        TrackedTrainingRequest request,
        CancellationToken cancellationToken = default
    )
    {
        var config = request.Training.Config;
        if (run.FellBack)
        {
            return Unknown(
                request,
                $"{request.Store.Location} became unreachable and this run fell back to {run.Store.Location}, which holds no registry"
            );
        }

        (ModelVersion Version, Run Run)? found;
        try
        {
            found = await new ModelRegistry(run.Store).GetChampionAsync(config.RegisteredModel, cancellationToken);
        }
        catch (TrackingException ex) when (ex.IsUnreachable)
        {
            return Unknown(request, $"{run.Store.Location} is unreachable: {ex.Message}");
        }

        if (found is not { } champion)
        {
            return null;
        }

        var name = $"{config.RegisteredModel} v{champion.Version.Version}";
        var folder = Path.Combine(Path.GetTempPath(), $"pipeline-champion-{Guid.NewGuid():N}");
        try
        {
            await ModelExtractor.ExtractAsync(
                run.Store,
                new ModelReference(config.Experiment, champion.Run.Info.RunId, null, config.RegisteredModel),
                folder,
                cancellationToken
            );
            request.Training.Log($"Re-scoring the champion {name} on this run's evaluation rows");
            return new Champion(name, request.Trainer.Evaluate(folder, request.Training, cancellationToken), true);
        }
        catch (TrackingException ex) when (ex.IsUnreachable)
        {
            return Unknown(request, $"its model could not be fetched from {run.Store.Location}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A champion this trainer can no longer read (an older model format) is still a bar to clear.
            request.Warn(
                $"The champion {name} could not be re-scored ({ex.Message}); comparing with the metrics its own run logged."
            );
            return new Champion(name, champion.Run.Metrics.ToDictionary(m => m.Key, m => m.Value.Value));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static Champion? Unknown(TrackedTrainingRequest request, string reason)
    {
        if (!request.AllowNoChampion && !request.Training.Config.Gate.AllowNoChampion)
        {
            return Champion.Unknown(reason);
        }

        request.Warn($"The champion is unknown ({reason}); training without the comparison, as allowed.");
        return null;
    }
}
