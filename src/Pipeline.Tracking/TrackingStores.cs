using Pipeline.Tracking.FileStore;
using Pipeline.Tracking.Rest;

namespace Pipeline.Tracking;

/// <summary>Picks the store from <c>MLFLOW_TRACKING_URI</c>: a server for http(s), an mlruns folder for a path or <c>file:</c> URI, the repository's <c>mlruns/</c> when unset.</summary>
public static class TrackingStores
{
    public static ITrackingStore Create(
        string? trackingUri,
        string defaultRoot,
        Func<string, string?> environment,
        RetryPolicy? retry = null
    ) =>
        trackingUri switch
        {
            null or "" => new FileTrackingStore(defaultRoot),
            _ when trackingUri.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                    || trackingUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase) => new MlflowRestStore(
                trackingUri,
                environment,
                retry
            ),
            _ when trackingUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) => new FileTrackingStore(
                new Uri(trackingUri).LocalPath
            ),
            _ when trackingUri.Contains("://", StringComparison.Ordinal) => throw new TrackingException(
                null,
                0,
                $"MLFLOW_TRACKING_URI: unsupported scheme in '{trackingUri}' (use http(s)://, file: or a folder)."
            ),
            _ => new FileTrackingStore(trackingUri),
        };
}
