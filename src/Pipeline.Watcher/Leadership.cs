using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Pipeline.Watcher;

/// <summary>Runs work only while this replica holds the Lease, so two replicas (or a replica and the CronJob) never both act.</summary>
public sealed class Leadership(IKubernetes client, WatcherOptions options, WatcherMetrics metrics, ILogger log)
{
    public bool IsLeading { get; private set; }

    public string? Leader { get; private set; }

    /// <summary>
    /// Leads, runs <paramref name="work"/>, and when leadership is lost cancels it and campaigns again. Returns the
    /// work's result once it completes on its own (the <c>--once</c> path); the watching work only ends when cancelled.
    /// With <paramref name="acquireWithin"/>, gives up and returns <paramref name="notLeading"/> when another holder keeps the Lease that long.
    /// </summary>
    public async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> work,
        CancellationToken cancellationToken,
        TimeSpan? acquireWithin = null,
        T notLeading = default!
    )
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (acquireWithin is { } limit)
            {
                leading.CancelAfter(limit);
            }

            using var elector = new LeaderElector(
                new LeaderElectionConfig(new LeaseLock(client, options.Namespace, options.Lease, options.Identity))
                {
                    LeaseDuration = options.LeaseDuration,
                    RenewDeadline = options.RenewDeadline,
                    RetryPeriod = options.RetryPeriod,
                }
            );
            Task<T>? running = null;
            elector.OnNewLeader += leader =>
            {
                Leader = leader;
                log.LogInformation(
                    "{EventType}: {Leader} holds lease {Lease}",
                    "leader-observed",
                    leader,
                    options.Lease
                );
            };
            elector.OnStartedLeading += () =>
            {
                leading.CancelAfter(Timeout.InfiniteTimeSpan);
                IsLeading = true;
                Leader = options.Identity;
                metrics.Leader.Set(1);
                log.LogInformation(
                    "{EventType}: {Identity} leads (lease {Lease})",
                    "leading",
                    options.Identity,
                    options.Lease
                );
                running = Task.Run(async () =>
                {
                    try
                    {
                        return await work(leading.Token);
                    }
                    finally
                    {
                        leading.Cancel(); // done (--once): stop renewing and return
                    }
                });
            };
            elector.OnStoppedLeading += () =>
            {
                IsLeading = false;
                metrics.Leader.Set(0);
                leading.Cancel();
            };
            elector.OnError += error => log.LogWarning("{EventType}: {Error}", "lease-error", error.Message);
            try
            {
                await elector.RunUntilLeadershipLostAsync(leading.Token);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested) { }

            leading.Cancel();
            if (running is null)
            {
                if (acquireWithin is not null && !cancellationToken.IsCancellationRequested)
                {
                    log.LogInformation(
                        "{EventType}: {Leader} holds lease {Lease}; it handles the changes",
                        "lease-held-elsewhere",
                        Leader,
                        options.Lease
                    );
                    return notLeading;
                }

                continue;
            }

            try
            {
                return await running;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                log.LogWarning(
                    "{EventType}: {Identity} lost lease {Lease}; campaigning again",
                    "leadership-lost",
                    options.Identity,
                    options.Lease
                );
            }
        }
    }
}
