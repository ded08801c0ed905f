using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Pipeline.Watcher;

/// <summary>
/// Watches one ConfigMap by name (the Role allows get and watch on it, nothing else). Every watch resumes from the
/// last resourceVersion it saw, bookmarks included; a dropped connection reconnects with exponential back-off; a 410
/// Gone lists again, which for one named object is a get, and a second 410 in a row (the object itself is older than
/// the server's watch window) starts the watch from now, which begins with the current state.
/// </summary>
public sealed class ConfigMapWatch(
    IKubernetes client,
    WatcherOptions options,
    WatcherMetrics metrics,
    ILogger log,
    TimeProvider clock
)
{
    public string? ResourceVersion { get; private set; }

    public bool Connected { get; private set; }

    public async Task RunAsync(Action<V1ConfigMap> onState, CancellationToken cancellationToken)
    {
        var backoff = options.InitialBackoff;
        var relist = true;
        var goneInARow = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (relist)
                {
                    var current = await client.CoreV1.ReadNamespacedConfigMapAsync(
                        options.ConfigMap,
                        options.Namespace,
                        cancellationToken: cancellationToken
                    );
                    ResourceVersion = goneInARow > 1 ? null : current.Metadata.ResourceVersion;
                    relist = false;
                    onState(current);
                }

                var gone = false;
                var events = client.CoreV1.WatchListNamespacedConfigMapAsync(
                    options.Namespace,
                    allowWatchBookmarks: true,
                    fieldSelector: $"metadata.name={options.ConfigMap}",
                    resourceVersion: ResourceVersion,
                    timeoutSeconds: options.WatchTimeoutSeconds,
                    onError: ex => gone |= IsGone(ex, log),
                    cancellationToken: cancellationToken
                );
                SetConnected(true);
                await foreach (var (type, item) in events)
                {
                    backoff = options.InitialBackoff;
                    goneInARow = 0;
                    ResourceVersion = item.Metadata?.ResourceVersion ?? ResourceVersion;
                    switch (type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            onState(item);
                            break;
                        case WatchEventType.Deleted:
                            log.LogWarning(
                                "{EventType}: ConfigMap {ConfigMap} was deleted; nothing to train until it is back",
                                "config-deleted",
                                options.ConfigMap
                            );
                            break;
                    }
                }

                SetConnected(false);
                if (gone)
                {
                    goneInARow++;
                    relist = true;
                    log.LogInformation(
                        "{EventType}: resourceVersion {ResourceVersion} is gone (410); listing again",
                        "watch-gone",
                        ResourceVersion
                    );
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
                when (ex
                        is HttpRequestException
                            or IOException
                            or HttpOperationException
                            or KubernetesException
                            or TaskCanceledException
                )
            {
                SetConnected(false);
                if (ex is HttpOperationException { Response.StatusCode: HttpStatusCode.Gone })
                {
                    goneInARow++;
                    relist = true;
                    continue;
                }

                var delay =
                    backoff
                    + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, backoff.TotalMilliseconds / 4)));
                log.LogWarning(
                    "{EventType}: watch of {ConfigMap} dropped ({Error}); reconnecting from resourceVersion {ResourceVersion} in {Delay} ms",
                    "watch-dropped",
                    options.ConfigMap,
                    ex.Message,
                    ResourceVersion,
                    (int)delay.TotalMilliseconds
                );
                await Task.Delay(delay, clock, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }
        }

        SetConnected(false);
    }

    private void SetConnected(bool connected)
    {
        Connected = connected;
        metrics.WatchConnected.Set(connected ? 1 : 0);
    }

    private static bool IsGone(Exception error, ILogger log)
    {
        if (error is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
        {
            return true;
        }

        log.LogWarning("{EventType}: {Error}", "watch-error", error.Message);
        return false;
    }
}
