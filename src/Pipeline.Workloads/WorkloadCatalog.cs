using Pipeline.Training;

namespace Pipeline.Workloads;

/// <summary>
/// Every model this repository trains. The build host and the training Job both take their trainers from here, so a
/// new workload is registered once; the stages find it by the <c>model</c> its training config names.
/// </summary>
public static class WorkloadCatalog
{
    public static IReadOnlyList<IModelTrainer> Trainers { get; } =
    [new Sentiment.Model.SentimentTrainer(), new Playlist.Model.PlaylistTrainer()];

    /// <summary>The published datasets the workloads train real models on (FetchDataset).</summary>
    public static IReadOnlyList<IPublicDataset> PublicDatasets { get; } =
    [new Sentiment.Model.LargeMovieReviewDataset()];
}
