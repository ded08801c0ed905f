using Pipeline.Training;
using Pipeline.TrainingRuns;

namespace Pipeline.Build;

/// <summary>The Train stage's request from what the build gathered once: stores, config, data, lineage and reporting.</summary>
internal static class TrainingRequests
{
    public static TrackedTrainingRequest For(
        BuildContext context,
        IModelTrainer trainer,
        bool smoke,
        bool allowNoChampion
    )
    {
        var config = context.TrainingConfig;
        var datasetPath = context.TrainingDataset;
        return new TrackedTrainingRequest(
            context.Tracking,
            context.Tracking == context.LocalRuns ? null : context.LocalRuns,
            trainer,
            new(
                datasetPath,
                context.Artifacts.Combine("training").FullPath,
                config,
                smoke,
                message => context.Information(message)
            )
            {
                EvaluationDatasetPath = context.EvaluationDataset,
            },
            $"{config.Model}-{context.Version.Version}",
            context.LineageTags(),
            context.DisplayPath(datasetPath),
            message => context.Warning(message),
            Started: run =>
            {
                context.TrainingRun = run.Info;
                context.Information("Tracking run {0} in {1}", run.Info.RunId, run.Store.Location);
            },
            allowNoChampion
        );
    }
}
