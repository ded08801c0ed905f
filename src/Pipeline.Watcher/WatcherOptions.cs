namespace Pipeline.Watcher;

/// <summary>A bad command line: names the flag.</summary>
public sealed class WatcherOptionsException(string message) : Exception(message);

/// <summary>What the controller watches, what it creates and restarts, and how patiently.</summary>
public sealed record WatcherOptions
{
    public string Namespace { get; init; } = "default";

    public string ConfigMap { get; init; } = "dataset-config";

    public string Deployment { get; init; } = "sentiment-api";

    /// <summary>The training Job manifest the controller fills in (mounted from a ConfigMap).</summary>
    public string JobTemplate { get; init; } = "/etc/pipeline-watcher/training-job.yaml";

    public string Lease { get; init; } = "pipeline-watcher";

    public string Identity { get; init; } = Environment.MachineName;

    public string? Kubeconfig { get; init; }

    /// <summary>Where health and metrics are served: loopback unless told otherwise (the manifests bind all interfaces in the pod).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Run the check once and exit (the CronJob alternative to watching).</summary>
    public bool Once { get; init; }

    /// <summary>How long to gather changes before acting on the newest: rapid edits give one Job.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan JobPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromHours(2);

    public int JobTtlSeconds { get; init; } = 86_400;

    public int JobBackoffLimit { get; init; } = 1;

    /// <summary>The server ends each watch after this long; the controller resumes from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 60;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
