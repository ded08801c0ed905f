using System.Text.Json.Nodes;
using k8s;
using Pipeline.Testing;

namespace Pipeline.Watcher.Tests;

/// <summary>
/// A loopback Kubernetes API stand-in (there is no API server here) holding namespace <c>ml</c>, the dataset
/// ConfigMap and the serving Deployment, plus a Job template on disk; controllers run against it with short timings.
/// </summary>
public sealed class WatcherLab : IAsyncDisposable
{
    public const string Namespace = "ml";
    private readonly List<(WatcherRuntime Runtime, CancellationTokenSource Stop, Task Running)> _running = [];

    private WatcherLab(KubernetesStandInServer server, TempDirectory folder, string deployment, string? template)
    {
        Server = server;
        Folder = folder;
        DeploymentName = deployment;
        Template =
            template
            ?? folder.Write(
                "training-job.yaml",
                """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: replaced-by-the-controller
                  labels: { app.kubernetes.io/name: pipeline-train }
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: train
                          image: 127.0.0.1:5055/pipeline-train:1.0.0
                          args: ["--dataset", "$(DATASET_PATH)", "--extract-to", "/models/current"]
                """
            );
    }

    public KubernetesStandInServer Server { get; }

    public TempDirectory Folder { get; }

    public string Template { get; }

    /// <summary>The API Deployment the watcher restarts after a training (the workload's).</summary>
    public string DeploymentName { get; }

    public RecordingLogger Log { get; } = new();

    public static readonly Dictionary<string, string> InitialData = new()
    {
        ["DATASET_PATH"] = "data/train.csv",
        ["DATASET_NAME"] = "imdb-reviews",
        ["MODEL_NAME"] = "sentiment",
    };

    /// <summary>
    /// A lab whose Deployment already runs a model trained on <paramref name="initialData"/> (default
    /// <see cref="InitialData"/>) unless <paramref name="trainedOnInitialData"/> is false; another workload names its
    /// API Deployment and its Job template.
    /// </summary>
    public static async Task<WatcherLab> StartAsync(
        bool trainedOnInitialData = true,
        string deployment = "sentiment-api",
        string? template = null,
        IReadOnlyDictionary<string, string>? initialData = null
    )
    {
        initialData ??= InitialData;
        var server = await KubernetesStandInServer.StartAsync();
        server.MaxWatchDuration = TimeSpan.FromSeconds(30);
        server.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        var lab = new WatcherLab(server, new TempDirectory("watcher"), deployment, template);
        server.Put(
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = Namespace },
            }
        );
        lab.SetConfig(initialData);
        var annotations = trainedOnInitialData
            ? new JsonObject { [RetrainController.AppliedHashAnnotation] = ConfigChange.HashOf(initialData) }
            : new JsonObject();
        server.Put(
            JsonNode
                .Parse(
                    $$"""
                    {
                      "apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": { "name": "{{deployment}}", "namespace": "{{Namespace}}", "annotations": {{annotations.ToJsonString()}} },
                      "spec": {
                        "replicas": 1,
                        "selector": { "matchLabels": { "app": "api" } },
                        "template": { "metadata": { "labels": { "app": "api" } }, "spec": { "containers": [ { "name": "api", "image": "127.0.0.1:5055/{{deployment}}:1.0.0" } ] } }
                      }
                    }
                    """
                )!
                .AsObject()
        );
        return lab;
    }

    public WatcherOptions Options(string identity) =>
        new()
        {
            Namespace = Namespace,
            Deployment = DeploymentName,
            JobTemplate = Template,
            Identity = identity,
            Debounce = TimeSpan.FromMilliseconds(400),
            JobPollInterval = TimeSpan.FromMilliseconds(100),
            JobTimeout = TimeSpan.FromMinutes(1),
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(1),
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
            WatchTimeoutSeconds = 20,
        };

    public IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration { Host = Server.Url });

    public WatcherRuntime Runtime(string identity) => new(Client(), Options(identity), Log);

    /// <summary>Starts a watching controller replica and waits until it has either taken the Lease and opened its watch, or seen another leader.</summary>
    public async Task<WatcherRuntime> StartControllerAsync(string identity, bool expectToLead = true)
    {
        var runtime = Runtime(identity);
        var stop = new CancellationTokenSource();
        _running.Add((runtime, stop, Task.Run(() => runtime.WatchAsync(stop.Token))));
        await Eventually.TrueAsync(
            () =>
                expectToLead
                    ? runtime.Leadership.IsLeading && runtime.Watch.Connected
                    : runtime.Leadership.Leader is not null,
            $"{identity} to {(expectToLead ? "lead and watch" : "see a leader")}"
        );
        return runtime;
    }

    public async Task StopControllerAsync(WatcherRuntime runtime)
    {
        var entry = _running.Single(r => r.Runtime == runtime);
        _running.Remove(entry);
        await entry.Stop.CancelAsync();
        await entry.Running.ContinueWith(_ => { }, TaskScheduler.Default);
        entry.Stop.Dispose();
    }

    public void SetConfig(IReadOnlyDictionary<string, string> data) =>
        Server.Put(
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = "dataset-config", ["namespace"] = Namespace },
                ["data"] = new JsonObject(
                    data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)JsonValue.Create(d.Value)))
                ),
            }
        );

    public static Dictionary<string, string> DataWith(string datasetPath) =>
        new(InitialData) { ["DATASET_PATH"] = datasetPath };

    public IReadOnlyList<JsonObject> Jobs() => Server.List("batch/v1", "jobs", Namespace);

    public JsonObject Deployment() => Server.Get("apps/v1", "deployments", Namespace, DeploymentName)!;

    public string? AppliedHash() =>
        Deployment()["metadata"]!["annotations"]?[RetrainController.AppliedHashAnnotation]?.GetValue<string>();

    public async Task<JsonObject> SingleJobAsync()
    {
        await Eventually.TrueAsync(() => Jobs().Count > 0, "a training Job");
        return Jobs().ShouldHaveSingleItemOrFail();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (runtime, _, _) in _running.ToList())
        {
            await StopControllerAsync(runtime);
        }

        await Server.DisposeAsync();
        Folder.Dispose();
    }
}

internal static class JobListExtensions
{
    public static JsonObject ShouldHaveSingleItemOrFail(this IReadOnlyList<JsonObject> jobs) =>
        jobs.Count == 1
            ? jobs[0]
            : throw new Xunit.Sdk.XunitException(
                $"expected exactly one Job, found {jobs.Count}: {string.Join(", ", jobs.Select(j => j["metadata"]!["name"]))}"
            );
}
