using k8s;

namespace Pipeline.Watcher;

/// <summary>The controller's parts wired together: watching (long-running) or one check (<c>--once</c>), both under the Lease.</summary>
public sealed class WatcherRuntime
{
    public WatcherRuntime(IKubernetes client, WatcherOptions options, ILogger log, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        Options = options;
        Metrics = new WatcherMetrics(Prometheus.Metrics.NewCustomRegistry());
        Controller = new RetrainController(client, options, Metrics, log, clock);
        Watch = new ConfigMapWatch(client, options, Metrics, log, clock);
        Leadership = new Leadership(client, options, Metrics, log);
    }

    public WatcherOptions Options { get; }

    public WatcherMetrics Metrics { get; }

    public RetrainController Controller { get; }

    public ConfigMapWatch Watch { get; }

    public Leadership Leadership { get; }

    /// <summary>Ready once the API answered about the Lease: a standby replica is healthy too.</summary>
    public bool IsReady => Leadership.Leader is not null;

    /// <summary>In a pod, its ServiceAccount; elsewhere <c>--kubeconfig</c> or the default kubeconfig. Neither is a clear error.</summary>
    public static IKubernetes CreateClient(WatcherOptions options)
    {
        try
        {
            var config =
                options.Kubeconfig is { } path ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
                : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();
            return new Kubernetes(config);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new WatcherOptionsException(
                $"no Kubernetes API to talk to: not in a pod and {(options.Kubeconfig is { } path ? $"--kubeconfig {path}" : "the default kubeconfig")} cannot be read ({ex.Message})."
            );
        }
    }

    /// <summary>Set when the controller stopped on an error retrying cannot fix: the process must exit non-zero.</summary>
    public bool Failed { get; set; }

    /// <summary>Watches and retrains while leading, until cancelled.</summary>
    public Task WatchAsync(CancellationToken cancellationToken) =>
        Leadership.RunAsync(
            async leading =>
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(leading);
                var watching = Watch.RunAsync(Controller.Observe, stop.Token);
                var working = Controller.RunAsync(stop.Token);
                await Task.WhenAny(watching, working);
                stop.Cancel(); // one part failing stops the other; the failure surfaces below
                await Task.WhenAll(watching, working);
                return 0;
            },
            cancellationToken
        );

    /// <summary>
    /// The CronJob path: take the Lease, check once, exit 1 only when a training Job failed now. When a watching
    /// replica holds the Lease for two lease durations, it is in charge and the check ends with nothing done.
    /// </summary>
    public Task<RetrainResult> OnceAsync(CancellationToken cancellationToken) =>
        Leadership.RunAsync(
            Controller.RunOnceAsync,
            cancellationToken,
            Options.LeaseDuration * 2,
            RetrainResult.WatcherInCharge
        );
}
