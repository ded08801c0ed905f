using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Pipeline.Watcher;

/// <summary>
/// Runs work only while this replica holds the Lease, so two replicas (or a replica and the CronJob) never both act.
/// The API server being unreachable is not a reason to stop: the Lease is lost, the work is stopped, and this replica
/// campaigns again (with back-off) until the server answers; the work, started afresh, catches up on what it missed.
/// Only an error that retrying cannot fix (a refused credential, a bug) ends the loop.
/// </summary>
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
        var backoff = options.RetryPeriod;
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
                backoff = options.RetryPeriod;
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
            Exception? refused = null;
            elector.OnError += error =>
            {
                log.LogWarning("{EventType}: {Error}", "lease-error", error.Message);
                if (Refused(error))
                {
                    refused = error; // the elector would retry this for ever
                    leading.Cancel();
                }
            };
            try
            {
                await elector.RunUntilLeadershipLostAsync(leading.Token);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested) { }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The elector gives up when the API server cannot be reached while it campaigns or renews.
                log.LogWarning(
                    "{EventType}: the API server cannot be reached ({Error}); campaigning again in {Delay} s",
                    "api-unreachable",
                    ex.Message,
                    backoff.TotalSeconds
                );
            }

            leading.Cancel();
            IsLeading = false;
            metrics.Leader.Set(0);
            if (refused is not null)
            {
                throw new InvalidOperationException(
                    $"the API server refuses this watcher's credentials for lease {options.Lease}: {refused.Message}",
                    refused
                );
            }

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

                await DelayAsync(backoff, cancellationToken);
                backoff = Next(backoff);
                continue;
            }

            try
            {
                var result = await running;
                if (acquireWithin is not null || cancellationToken.IsCancellationRequested)
                {
                    return result; // the --once work ends on its own
                }

                log.LogWarning(
                    "{EventType}: {Identity} lost lease {Lease}; campaigning again",
                    "leadership-lost",
                    options.Identity,
                    options.Lease
                );
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
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                log.LogWarning(
                    "{EventType}: the work stopped because the API server cannot be reached ({Error}); campaigning again",
                    "api-unreachable",
                    ex.Message
                );
            }

            await DelayAsync(backoff, cancellationToken);
            backoff = Next(backoff);
        }
    }

    /// <summary>
    /// What retrying fixes: the API server unreachable, slow or answering 5xx/429 while it restarts. A refused
    /// credential (401, 403) or a request the server rejects as wrong is not.
    /// </summary>
    public static bool IsTransient(Exception ex) =>
        ex switch
        {
            AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
            k8s.Autorest.HttpOperationException http => (int)http.Response.StatusCode is 0 or 408 or 429 or >= 500,
            HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException => true,
            TaskCanceledException => true, // an HTTP timeout; a cancellation of ours is handled before this
            _ => false,
        };

    /// <summary>401 or 403: the credentials or the RBAC rules are wrong, which no retry fixes.</summary>
    private static bool Refused(Exception ex) =>
        ex
            is k8s.Autorest.HttpOperationException
            {
                Response.StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
            };

    private TimeSpan Next(TimeSpan backoff) =>
        TimeSpan.FromTicks(
            Math.Min(backoff.Ticks * 2, Math.Max(options.LeaseDuration.Ticks, options.RetryPeriod.Ticks))
        );

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException) { }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
