using System.ComponentModel;
using Pipeline.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Pipeline.Watcher;

/// <summary>
/// <c>pipeline-watcher</c>: watch the dataset ConfigMap and retrain on every change, serving health and metrics; or
/// <c>--once</c>, check, wait for any Job it starts, and exit. Exit codes: <see cref="ConsoleApp"/>'s (1: the Job failed).
/// </summary>
public sealed class WatchCommand(ConsoleIO io) : AsyncCommand<WatchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--once")]
        [Description("Check once, wait for any Job it starts, and exit (the CronJob alternative to watching).")]
        public bool Once { get; init; }

        [CommandOption("--namespace <NS>")]
        [Description("The namespace to work in. Default: POD_NAMESPACE, else default.")]
        public string? Namespace { get; init; }

        [CommandOption("--configmap <NAME>")]
        [Description("The ConfigMap to watch.")]
        [DefaultValue("dataset-config")]
        public string ConfigMap { get; init; } = "dataset-config";

        [CommandOption("--deployment <NAME>")]
        [Description("The serving Deployment to restart after a successful Job.")]
        [DefaultValue("sentiment-api")]
        public string Deployment { get; init; } = "sentiment-api";

        [CommandOption("--job-template <FILE>")]
        [Description("The training Job manifest to fill in.")]
        [DefaultValue("/etc/pipeline-watcher/training-job.yaml")]
        public string JobTemplate { get; init; } = "/etc/pipeline-watcher/training-job.yaml";

        [CommandOption("--lease <NAME>")]
        [Description("The Lease replicas elect a leader on.")]
        [DefaultValue("pipeline-watcher")]
        public string Lease { get; init; } = "pipeline-watcher";

        [CommandOption("--identity <ID>")]
        [Description("This replica's name in the Lease. Default: POD_NAME, else the host name.")]
        public string? Identity { get; init; }

        [CommandOption("--kubeconfig <FILE>")]
        [Description("A kubeconfig, outside a pod.")]
        public string? Kubeconfig { get; init; }

        [CommandOption("--urls <URL>")]
        [Description("Where health and metrics are served.")]
        [DefaultValue("http://127.0.0.1:8080")]
        public string Urls { get; init; } = "http://127.0.0.1:8080";

        [CommandOption("--debounce <SECONDS>")]
        [Description("How long to gather changes before acting on the newest.")]
        [DefaultValue(10d)]
        public double Debounce { get; init; } = 10;

        [CommandOption("--job-poll <SECONDS>")]
        [Description("How often a running Job is checked.")]
        [DefaultValue(5d)]
        public double JobPoll { get; init; } = 5;

        [CommandOption("--job-timeout <SECONDS>")]
        [Description("How long a Job may run before it counts as failed.")]
        [DefaultValue(7200d)]
        public double JobTimeout { get; init; } = 7200;

        [CommandOption("--job-ttl <SECONDS>")]
        [Description("ttlSecondsAfterFinished of the Jobs (when the template sets none).")]
        [DefaultValue(86400)]
        public int JobTtl { get; init; } = 86_400;

        [CommandOption("--job-backoff-limit <N>")]
        [Description("backoffLimit of the Jobs (when the template sets none): how many retries.")]
        [DefaultValue(1)]
        public int JobBackoffLimit { get; init; } = 1;

        public override ValidationResult Validate()
        {
            foreach (
                var (flag, value) in new[]
                {
                    ("--namespace", Namespace),
                    ("--configmap", ConfigMap),
                    ("--deployment", Deployment),
                    ("--lease", Lease),
                }
            )
            {
                if (value is not null && !TrainingJobs.IsDnsLabel(value))
                {
                    return ValidationResult.Error(
                        $"{flag}: '{value}' is not a valid Kubernetes name (lowercase letters, digits and '-', at most 63)."
                    );
                }
            }

            foreach (
                var (flag, value) in new[]
                {
                    ("--debounce", Debounce),
                    ("--job-poll", JobPoll),
                    ("--job-timeout", JobTimeout),
                    ("--job-ttl", JobTtl),
                    ("--job-backoff-limit", JobBackoffLimit),
                }
            )
            {
                if (value < 0)
                {
                    return ValidationResult.Error($"{flag}: {value} is negative.");
                }
            }

            return ValidationResult.Success();
        }

        /// <summary>Flags win over the environment (<c>POD_NAMESPACE</c>, <c>POD_NAME</c> from the downward API).</summary>
        public WatcherOptions ToOptions(Func<string, string?> environment) =>
            new()
            {
                Namespace = Namespace ?? (environment("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "default"),
                Identity = Identity ?? (environment("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName),
                ConfigMap = ConfigMap,
                Deployment = Deployment,
                JobTemplate = JobTemplate,
                Lease = Lease,
                Kubeconfig = Kubeconfig,
                Urls = Urls,
                Once = Once,
                Debounce = TimeSpan.FromSeconds(Debounce),
                JobPollInterval = TimeSpan.FromSeconds(JobPoll),
                JobTimeout = TimeSpan.FromSeconds(JobTimeout),
                JobTtlSeconds = JobTtl,
                JobBackoffLimit = JobBackoffLimit,
            };
    }

    public override Task<int> ExecuteAsync(
        CommandContext context,
        Settings settings,
        CancellationToken cancellationToken
    ) => WatcherApp.RunAsync(settings.ToOptions(io.Environment), cancellationToken);
}
