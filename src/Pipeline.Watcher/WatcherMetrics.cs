using Prometheus;

namespace Pipeline.Watcher;

/// <summary>What operators graph and alert on; one registry per controller so tests can run several in one process.</summary>
public sealed class WatcherMetrics
{
    public WatcherMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        ChangesSeen = factory.CreateCounter(
            "pipeline_watcher_config_changes_total",
            "Dataset ConfigMap changes seen (a new data hash)."
        );
        JobsStarted = factory.CreateCounter("pipeline_watcher_jobs_started_total", "Training Jobs created.");
        JobsSucceeded = factory.CreateCounter(
            "pipeline_watcher_jobs_succeeded_total",
            "Training Jobs that completed; the serving Deployment was restarted."
        );
        JobsFailed = factory.CreateCounter(
            "pipeline_watcher_jobs_failed_total",
            "Training Jobs that failed or timed out; the Deployment was left alone."
        );
        Leader = factory.CreateGauge("pipeline_watcher_leader", "1 while this replica holds the Lease.");
        WatchConnected = factory.CreateGauge(
            "pipeline_watcher_watch_connected",
            "1 while the ConfigMap watch is open."
        );
    }

    public CollectorRegistry Registry { get; }

    public Counter ChangesSeen { get; }

    public Counter JobsStarted { get; }

    public Counter JobsSucceeded { get; }

    public Counter JobsFailed { get; }

    public Gauge Leader { get; }

    public Gauge WatchConnected { get; }
}
