using System.Text.Json.Nodes;
using static Pipeline.Tracking.Rest.MlflowJson;

namespace Pipeline.Tracking.Rest;

/// <summary>
/// A client for an MLflow 2.x/3.x tracking server's REST API (<c>/api/2.0/mlflow/</c>) and its artifact proxy
/// (<c>/api/2.0/mlflow-artifacts/</c>), speaking exactly the requests the Python client sends.
/// </summary>
public sealed class MlflowRestStore : ITrackingStore, IDisposable
{
    // MLflow's log-batch limits (mlflow/utils/validation.py).
    internal const int MaxMetricsPerBatch = 1000;
    internal const int MaxParamsPerBatch = 100;
    internal const int MaxTagsPerBatch = 100;
    internal const int MaxEntitiesPerBatch = 1000;

    private const string Api = "api/2.0/mlflow/";
    private const string ArtifactsApi = "api/2.0/mlflow-artifacts/artifacts";
    private readonly HttpClient _client;
    private readonly RestTransport _transport;

    public MlflowRestStore(
        string trackingUri,
        Func<string, string?>? environment = null,
        RetryPolicy? retry = null,
        TimeSpan? timeout = null
    )
    {
        var baseUri = new Uri(trackingUri.EndsWith('/') ? trackingUri : trackingUri + "/");
        _client = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Authorization = RestTransport.AuthFrom(
            environment ?? Environment.GetEnvironmentVariable
        );
        _transport = new RestTransport(_client, baseUri, retry ?? RetryPolicy.Default);
    }

    public string Location => _transport.BaseUri.ToString();

    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _transport.GetAsync(
                Api + "experiments/get-by-name",
                [("experiment_name", name)],
                cancellationToken
            );
            return Experiment(response["experiment"]!);
        }
        catch (TrackingException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public async Task<string> CreateExperimentAsync(
        string name,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    )
    {
        var body = new JsonObject { ["name"] = name };
        if (tags is { Count: > 0 })
        {
            body["tags"] = KeyValues(tags);
        }

        return Str(await Post("experiments/create", body, cancellationToken), "experiment_id");
    }

    public async Task<Experiment> GetExperimentAsync(
        string experimentId,
        CancellationToken cancellationToken = default
    ) =>
        Experiment(
            (await _transport.GetAsync(Api + "experiments/get", [("experiment_id", experimentId)], cancellationToken))[
                "experiment"
            ]!
        );

    public async Task<RunInfo> CreateRunAsync(
        string experimentId,
        string runName,
        long startTime,
        IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken = default
    )
    {
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            // The server takes the run's user from this field, not from the mlflow.user tag (the Python client sends both).
            ["user_id"] = tags.GetValueOrDefault("mlflow.user") ?? string.Empty,
            ["run_name"] = runName,
            ["start_time"] = startTime,
        };
        if (tags.Count > 0)
        {
            body["tags"] = KeyValues(tags);
        }

        return RunInfo((await Post("runs/create", body, cancellationToken))["run"]!["info"]!);
    }

    /// <summary>Sends the batch in as many requests as MLflow's limits need (1000 metrics, 100 params, 100 tags, 1000 entities).</summary>
    public async Task LogBatchAsync(string runId, RunBatch batch, CancellationToken cancellationToken = default)
    {
        var metrics = new Queue<Metric>(batch.Metrics);
        var parameters = new Queue<KeyValuePair<string, string>>(batch.Params);
        var tags = new Queue<KeyValuePair<string, string>>(batch.Tags);
        do
        {
            var body = new JsonObject { ["run_id"] = runId };
            var room = MaxEntitiesPerBatch;
            var chunkMetrics = Take(metrics, Math.Min(MaxMetricsPerBatch, room));
            room -= chunkMetrics.Count;
            var chunkParams = Take(parameters, Math.Min(MaxParamsPerBatch, room));
            room -= chunkParams.Count;
            var chunkTags = Take(tags, Math.Min(MaxTagsPerBatch, room));
            if (chunkMetrics.Count > 0)
            {
                body["metrics"] = new JsonArray([.. chunkMetrics.Select(m => (JsonNode)Metric(m))]);
            }

            if (chunkParams.Count > 0)
            {
                body["params"] = KeyValues(chunkParams);
            }

            if (chunkTags.Count > 0)
            {
                body["tags"] = KeyValues(chunkTags);
            }

            await Post("runs/log-batch", body, cancellationToken);
        } while (metrics.Count + parameters.Count + tags.Count > 0);
    }

    public Task LogInputsAsync(
        string runId,
        IReadOnlyList<DatasetInput> inputs,
        CancellationToken cancellationToken = default
    ) =>
        Post(
            "runs/log-inputs",
            new JsonObject
            {
                ["run_id"] = runId,
                ["datasets"] = new JsonArray([
                    .. inputs.Select(i =>
                        (JsonNode)new JsonObject { ["tags"] = KeyValues(i.Tags), ["dataset"] = MlflowJson.Dataset(i) }
                    ),
                ]),
            },
            cancellationToken
        );

    public Task LogMetricAsync(string runId, Metric metric, CancellationToken cancellationToken = default)
    {
        var body = Metric(metric);
        body.Insert(0, "run_id", runId);
        return Post("runs/log-metric", body, cancellationToken);
    }

    public Task LogParamAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        Post(
            "runs/log-parameter",
            new JsonObject
            {
                ["run_id"] = runId,
                ["key"] = key,
                ["value"] = value,
            },
            cancellationToken
        );

    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default) =>
        Post(
            "runs/set-tag",
            new JsonObject
            {
                ["run_id"] = runId,
                ["key"] = key,
                ["value"] = value,
            },
            cancellationToken
        );

    public Task UpdateRunAsync(
        string runId,
        RunStatus status,
        long? endTime,
        CancellationToken cancellationToken = default
    )
    {
        var body = new JsonObject { ["run_id"] = runId, ["status"] = status.ToWire() };
        if (endTime is { } end)
        {
            body["end_time"] = end;
        }

        return Post("runs/update", body, cancellationToken);
    }

    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Run((await _transport.GetAsync(Api + "runs/get", [("run_id", runId)], cancellationToken))["run"]!);

    public async Task<RunsPage> SearchRunsAsync(
        IReadOnlyList<string> experimentIds,
        string? filter,
        IReadOnlyList<string>? orderBy,
        int maxResults,
        string? pageToken,
        CancellationToken cancellationToken = default
    )
    {
        var body = new JsonObject { ["experiment_ids"] = new JsonArray([.. experimentIds.Select(id => (JsonNode)id)]) };
        if (filter is not null)
        {
            body["filter"] = filter;
        }

        if (orderBy is { Count: > 0 })
        {
            body["order_by"] = new JsonArray([.. orderBy.Select(o => (JsonNode)o)]);
        }

        if (maxResults > 0)
        {
            body["max_results"] = maxResults;
        }
        if (pageToken is not null)
        {
            body["page_token"] = pageToken;
        }

        var response = await Post("runs/search", body, cancellationToken);
        return new RunsPage(
            (response["runs"] as JsonArray ?? []).Select(r => Run(r!)).ToList(),
            response["next_page_token"]?.GetValue<string>()
        );
    }

    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(
        string runId,
        string key,
        CancellationToken cancellationToken = default
    )
    {
        var response = await _transport.GetAsync(
            Api + "metrics/get-history",
            [("run_id", runId), ("metric_key", key)],
            cancellationToken
        );
        return (response["metrics"] as JsonArray ?? []).Select(m => Metric(m!)).ToList();
    }

    public Task UploadArtifactAsync(
        RunInfo run,
        string artifactPath,
        string localFile,
        CancellationToken cancellationToken = default
    ) =>
        _transport.PutFileAsync(
            ArtifactUrl(run, artifactPath),
            localFile,
            ContentType(artifactPath),
            cancellationToken
        );

    public Task DownloadArtifactAsync(
        RunInfo run,
        string artifactPath,
        string localFile,
        CancellationToken cancellationToken = default
    ) => _transport.DownloadAsync(ArtifactUrl(run, artifactPath), localFile, cancellationToken);

    /// <summary>Lists through the artifact proxy, which answers with basenames; they are returned run-relative.</summary>
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(
        RunInfo run,
        string? artifactPath,
        CancellationToken cancellationToken = default
    )
    {
        var folder =
            ArtifactRoot(run) + (string.IsNullOrEmpty(artifactPath) ? string.Empty : "/" + artifactPath.Trim('/'));
        var response = await _transport.GetAsync(ArtifactsApi, [("path", folder)], cancellationToken);
        var prefix = string.IsNullOrEmpty(artifactPath) ? string.Empty : artifactPath.Trim('/') + "/";
        return (response["files"] as JsonArray ?? [])
            .Select(f => new ArtifactFile(
                prefix + Str(f!, "path"),
                f!["is_dir"]?.GetValue<bool>() ?? false,
                Long(f, "file_size")
            ))
            .ToList();
    }

    /// <summary>The tracking API's listing (<c>artifacts/list</c>), which returns run-relative paths and the root URI.</summary>
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsViaTrackingApiAsync(
        string runId,
        string? artifactPath,
        CancellationToken cancellationToken = default
    )
    {
        var query = new List<(string, string)> { ("run_id", runId) };
        if (!string.IsNullOrEmpty(artifactPath))
        {
            query.Add(("path", artifactPath));
        }

        var response = await _transport.GetAsync(Api + "artifacts/list", query, cancellationToken);
        return (response["files"] as JsonArray ?? [])
            .Select(f => new ArtifactFile(
                Str(f!, "path"),
                f!["is_dir"]?.GetValue<bool>() ?? false,
                Long(f, "file_size")
            ))
            .ToList();
    }

    public async Task<RegisteredModel?> GetRegisteredModelAsync(
        string name,
        CancellationToken cancellationToken = default
    )
    {
        try
        {
            return RegisteredModel(
                (await _transport.GetAsync(Api + "registered-models/get", [("name", name)], cancellationToken))[
                    "registered_model"
                ]!
            );
        }
        catch (TrackingException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public Task CreateRegisteredModelAsync(
        string name,
        string? description,
        CancellationToken cancellationToken = default
    )
    {
        var body = new JsonObject { ["name"] = name };
        if (description is not null)
        {
            body["description"] = description;
        }

        return Post("registered-models/create", body, cancellationToken);
    }

    public Task SetRegisteredModelTagAsync(
        string name,
        string key,
        string value,
        CancellationToken cancellationToken = default
    ) =>
        Post(
            "registered-models/set-tag",
            new JsonObject
            {
                ["name"] = name,
                ["key"] = key,
                ["value"] = value,
            },
            cancellationToken
        );

    public async Task<ModelVersion> CreateModelVersionAsync(
        string name,
        string source,
        string runId,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default
    )
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["source"] = source,
            ["run_id"] = runId,
        };
        if (tags is { Count: > 0 })
        {
            body["tags"] = KeyValues(tags);
        }

        return ModelVersion((await Post("model-versions/create", body, cancellationToken))["model_version"]!);
    }

    public async Task<ModelVersion> GetModelVersionAsync(
        string name,
        string version,
        CancellationToken cancellationToken = default
    ) =>
        ModelVersion(
            (
                await _transport.GetAsync(
                    Api + "model-versions/get",
                    [("name", name), ("version", version)],
                    cancellationToken
                )
            )["model_version"]!
        );

    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(
        string name,
        CancellationToken cancellationToken = default
    )
    {
        var response = await _transport.GetAsync(
            Api + "model-versions/search",
            [("filter", $"name='{name.Replace("'", "\\'", StringComparison.Ordinal)}'")],
            cancellationToken
        );
        return (response["model_versions"] as JsonArray ?? []).Select(v => ModelVersion(v!)).ToList();
    }

    public Task SetAliasAsync(
        string name,
        string alias,
        string version,
        CancellationToken cancellationToken = default
    ) =>
        Post(
            "registered-models/alias",
            new JsonObject
            {
                ["name"] = name,
                ["alias"] = alias,
                ["version"] = version,
            },
            cancellationToken
        );

    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Delete,
            Api + "registered-models/alias",
            new JsonObject { ["name"] = name, ["alias"] = alias },
            cancellationToken
        );

    public async Task<ModelVersion> GetModelVersionByAliasAsync(
        string name,
        string alias,
        CancellationToken cancellationToken = default
    ) =>
        ModelVersion(
            (
                await _transport.GetAsync(
                    Api + "registered-models/alias",
                    [("name", name), ("alias", alias)],
                    cancellationToken
                )
            )["model_version"]!
        );

    public async Task<string> GetModelVersionDownloadUriAsync(
        string name,
        string version,
        CancellationToken cancellationToken = default
    ) =>
        Str(
            await _transport.GetAsync(
                Api + "model-versions/get-download-uri",
                [("name", name), ("version", version)],
                cancellationToken
            ),
            "artifact_uri"
        );

    /// <summary>Any GET on the tracking API, for routes this client does not wrap.</summary>
    public Task<JsonObject> GetRawAsync(string route, CancellationToken cancellationToken = default) =>
        _transport.GetAsync(Api + route, [], cancellationToken);

    public void Dispose() => _client.Dispose();

    private Task<JsonObject> Post(string route, JsonObject body, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Post, Api + route, body, cancellationToken);

    /// <summary><c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c> → <c>1/&lt;run&gt;/artifacts</c>, the proxy's path for the run's root.</summary>
    internal static string ArtifactRoot(RunInfo run)
    {
        const string Scheme = "mlflow-artifacts:";
        if (!run.ArtifactUri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new TrackingException(
                null,
                0,
                $"run {run.RunId} stores artifacts at {run.ArtifactUri}, which the tracking server does not proxy; start it with --serve-artifacts (the default in MLflow 2.x)."
            );
        }

        var rest = run.ArtifactUri[Scheme.Length..];
        // "mlflow-artifacts://host:port/1/…" names its own host; the path after it is what the proxy wants.
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[(rest.IndexOf('/', 2) is var slash and > 0 ? slash : rest.Length)..];
        }

        return rest.Trim('/');
    }

    private static string ArtifactUrl(RunInfo run, string artifactPath)
    {
        if (artifactPath.Split('/').Contains(".."))
        {
            throw new TrackingException(null, 0, $"artifact path '{artifactPath}' may not contain '..'.");
        }

        return $"{ArtifactsApi}/{ArtifactRoot(run)}/{string.Join('/', artifactPath.Trim('/').Split('/').Select(Uri.EscapeDataString))}";
    }

    // What the Python client sent for the files the pipeline logs.
    private static string ContentType(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => "application/json",
            ".html" => "text/html",
            ".svg" => "image/svg+xml",
            ".txt" or ".md" or ".yaml" => "text/plain",
            _ => "application/octet-stream",
        };

    private static List<T> Take<T>(Queue<T> queue, int count)
    {
        var taken = new List<T>();
        while (taken.Count < count && queue.Count > 0)
        {
            taken.Add(queue.Dequeue());
        }

        return taken;
    }
}
