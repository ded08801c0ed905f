using System.Globalization;

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

    public string Urls { get; init; } = "http://0.0.0.0:8080";

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

    public const string Usage = "pipeline-watcher [--once] [--namespace NS] [--configmap NAME] [--deployment NAME] [--job-template FILE] [--lease NAME] [--identity ID] " +
        "[--kubeconfig FILE] [--urls URL] [--debounce SECONDS] [--job-poll SECONDS] [--job-timeout SECONDS] [--job-ttl SECONDS] [--job-backoff-limit N]";

    /// <summary>Flags win over the environment (<c>POD_NAMESPACE</c>, <c>POD_NAME</c> from the downward API).</summary>
    public static WatcherOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new WatcherOptions
        {
            Namespace = environment("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "default",
            Identity = environment("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName,
        };
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new WatcherOptionsException($"{name} needs a value. Usage: {Usage}"));
            options = name switch
            {
                "--once" => options with { Once = true },
                "--namespace" => options with { Namespace = Dns(name, Value()) },
                "--configmap" => options with { ConfigMap = Dns(name, Value()) },
                "--deployment" => options with { Deployment = Dns(name, Value()) },
                "--lease" => options with { Lease = Dns(name, Value()) },
                "--job-template" => options with { JobTemplate = Value() },
                "--identity" => options with { Identity = Value() },
                "--kubeconfig" => options with { Kubeconfig = Value() },
                "--urls" => options with { Urls = Value() },
                "--debounce" => options with { Debounce = Seconds(name, Value()) },
                "--job-poll" => options with { JobPollInterval = Seconds(name, Value()) },
                "--job-timeout" => options with { JobTimeout = Seconds(name, Value()) },
                "--job-ttl" => options with { JobTtlSeconds = (int)Seconds(name, Value()).TotalSeconds },
                "--job-backoff-limit" => options with { JobBackoffLimit = Count(name, Value()) },
                _ => throw new WatcherOptionsException($"unknown option '{args[i]}'. Usage: {Usage}"),
            };
        }

        return options;
    }

    private static TimeSpan Seconds(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new WatcherOptionsException($"{flag}: '{value}' is not a number of seconds.");

    private static int Count(string flag, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new WatcherOptionsException($"{flag}: '{value}' is not a whole number.");

    private static string Dns(string flag, string value) =>
        TrainingJobs.IsDnsLabel(value) ? value : throw new WatcherOptionsException($"{flag}: '{value}' is not a valid Kubernetes name (lowercase letters, digits and '-', at most 63).");
}
