using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Pipeline.Watcher;

/// <summary>What one reconcile did.</summary>
public enum RetrainResult
{
    AlreadyApplied,
    Retrained,
    TrainingFailed,
    FailedBefore,
    WatcherInCharge,
}

/// <summary>
/// Turns ConfigMap states into at most one training Job per data hash, and a Deployment restart when it succeeds.
/// Pending changes live in a one-slot channel that drops the older one: a newer change supersedes a pending one.
/// The applied hash lives on the Deployment, and Jobs carry their hash, so a restarted controller never trains twice.
/// </summary>
public sealed class RetrainController(
    IKubernetes client,
    WatcherOptions options,
    WatcherMetrics metrics,
    ILogger log,
    TimeProvider clock
)
{
    public const string AppliedHashAnnotation = "pipeline.dev/applied-config-hash";
    public const string AppliedJobAnnotation = "pipeline.dev/applied-training-job";
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private readonly Channel<ConfigChange> _pending = Channel.CreateBounded<ConfigChange>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest }
    );
    private readonly TrainingJobs _jobs = new(client, options, clock);
    private string? _lastSeen;

    /// <summary>Called for every ConfigMap state the watch delivers; only a new data hash counts as a change.</summary>
    public void Observe(V1ConfigMap configMap)
    {
        var change = ConfigChange.From(configMap);
        if (Interlocked.Exchange(ref _lastSeen, change.Hash) == change.Hash)
        {
            return;
        }

        metrics.ChangesSeen.Inc();
        log.LogInformation(
            "{EventType}: {ConfigMap} data hash {ConfigHash} (resourceVersion {ResourceVersion})",
            "config-change",
            options.ConfigMap,
            change.Hash,
            change.ResourceVersion
        );
        _pending.Writer.TryWrite(change);
    }

    /// <summary>Acts on the newest pending change after the debounce window, one at a time, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var template = _jobs.LoadTemplate();
        while (await _pending.Reader.WaitToReadAsync(cancellationToken))
        {
            await Task.Delay(options.Debounce, clock, cancellationToken);
            if (!_pending.Reader.TryRead(out var change))
            {
                continue;
            }

            try
            {
                await ReconcileAsync(template, change, cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException ex)
            {
                // The API said no (a missing Deployment, a forbidden verb, a server error): keep watching, try again later,
                // unless a newer change arrives first.
                log.LogError(
                    "{EventType}: reconciling hash {ConfigHash} failed: {Status} {Error}; retrying in {Delay} s",
                    "reconcile-failed",
                    change.Hash,
                    (int)ex.Response.StatusCode,
                    ex.Response.Content,
                    (int)options.MaxBackoff.TotalSeconds
                );
                await Task.Delay(options.MaxBackoff, clock, cancellationToken);
                if (_pending.Reader.Count == 0)
                {
                    _pending.Writer.TryWrite(change);
                }
            }
        }
    }

    /// <summary>The <c>--once</c> path: read the ConfigMap, reconcile it, report what happened.</summary>
    public async Task<RetrainResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var template = _jobs.LoadTemplate();
        var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync(
            options.ConfigMap,
            options.Namespace,
            cancellationToken: cancellationToken
        );
        return await ReconcileAsync(template, ConfigChange.From(configMap), cancellationToken);
    }

    public async Task<RetrainResult> ReconcileAsync(
        V1Job template,
        ConfigChange change,
        CancellationToken cancellationToken
    )
    {
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(
            options.Deployment,
            options.Namespace,
            cancellationToken: cancellationToken
        );
        if (
            deployment.Metadata.Annotations is { } annotations
            && annotations.TryGetValue(AppliedHashAnnotation, out var applied)
            && applied == change.Hash
        )
        {
            log.LogInformation(
                "{EventType}: hash {ConfigHash} is already applied to {Deployment}",
                "config-applied-before",
                change.Hash,
                options.Deployment
            );
            return RetrainResult.AlreadyApplied;
        }

        var job = await _jobs.FindAsync(change.Hash, cancellationToken);
        var adopted = job is not null;
        if (job is null)
        {
            job = await _jobs.CreateAsync(template, change, cancellationToken);
            metrics.JobsStarted.Inc();
            log.LogInformation(
                "{EventType}: created training Job {Job} for hash {ConfigHash}",
                "job-started",
                job.Metadata.Name,
                change.Hash
            );
        }
        else if (TrainingJobs.OutcomeOf(job) == JobOutcome.Failed)
        {
            log.LogWarning(
                "{EventType}: training Job {Job} for hash {ConfigHash} failed before; not retrying the same data (change the ConfigMap to retrain)",
                "job-failed-before",
                job.Metadata.Name,
                change.Hash
            );
            return RetrainResult.FailedBefore;
        }
        else
        {
            log.LogInformation(
                "{EventType}: training Job {Job} already exists for hash {ConfigHash}; waiting for it",
                "job-adopted",
                job.Metadata.Name,
                change.Hash
            );
        }

        var (outcome, finished) = await _jobs.WaitAsync(job, cancellationToken);
        if (outcome == JobOutcome.Succeeded)
        {
            await RestartAsync(change, finished, cancellationToken);
            metrics.JobsSucceeded.Inc();
            log.LogInformation(
                "{EventType}: training Job {Job} succeeded; restarted {Deployment}",
                "job-succeeded",
                finished.Metadata.Name,
                options.Deployment
            );
            return RetrainResult.Retrained;
        }

        metrics.JobsFailed.Inc();
        var reason =
            finished.Status?.Conditions?.FirstOrDefault(c => c.Type == "Failed")?.Message
            ?? $"no result within {options.JobTimeout}";
        log.LogError(
            "{EventType}: training Job {Job} for hash {ConfigHash} failed ({Reason}); {Deployment} left alone{Adopted}",
            "job-failed",
            finished.Metadata.Name,
            change.Hash,
            reason,
            options.Deployment,
            adopted ? " (adopted)" : string.Empty
        );
        await RecordFailureAsync(finished, change, reason, cancellationToken);
        return RetrainResult.TrainingFailed;
    }

    /// <summary>What <c>kubectl rollout restart</c> does, plus the applied hash, in one strategic-merge patch.</summary>
    private Task<V1Deployment> RestartAsync(ConfigChange change, V1Job job, CancellationToken cancellationToken)
    {
        var patch = new
        {
            metadata = new
            {
                annotations = new Dictionary<string, string>
                {
                    [AppliedHashAnnotation] = change.Hash,
                    [AppliedJobAnnotation] = job.Metadata.Name,
                },
            },
            spec = new
            {
                template = new
                {
                    metadata = new
                    {
                        annotations = new Dictionary<string, string>
                        {
                            [RestartedAtAnnotation] = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssK"),
                        },
                    },
                },
            },
        };
        return client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch),
            options.Deployment,
            options.Namespace,
            cancellationToken: cancellationToken
        );
    }

    private Task<Corev1Event> RecordFailureAsync(
        V1Job job,
        ConfigChange change,
        string reason,
        CancellationToken cancellationToken
    )
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"{job.Metadata.Name}.{now.Ticks:x}",
                    NamespaceProperty = options.Namespace,
                },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = "batch/v1",
                    Kind = "Job",
                    Name = job.Metadata.Name,
                    NamespaceProperty = options.Namespace,
                    Uid = job.Metadata.Uid,
                },
                Reason = "TrainingFailed",
                Message =
                    $"Training Job {job.Metadata.Name} for dataset config {change.Hash} failed: {reason}. Deployment {options.Deployment} was not restarted.",
                Type = "Warning",
                Source = new V1EventSource { Component = "pipeline-watcher", Host = options.Identity },
                ReportingComponent = "pipeline-watcher",
                ReportingInstance = options.Identity,
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            },
            options.Namespace,
            cancellationToken: cancellationToken
        );
    }
}
