using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;

namespace Pipeline.Testing;

/// <summary>
/// A loopback stand-in for an MLflow tracking server: the REST routes and artifact proxy our client uses, answered
/// in MLflow's shapes (string ids, mlflow-artifacts: URIs, JSON error bodies), with a FileStore behind it. It also
/// records what it saw (batch sizes, auth) and can fail on purpose, for retry and fallback tests.
/// </summary>
public sealed class MlflowStandInServer : IAsyncDisposable
{
    private const string Api = "/api/2.0/mlflow/";
    private const string Artifacts = "/api/2.0/mlflow-artifacts/artifacts";
    private WebApplication _app = null!;
    private readonly FileTrackingStore _store;
    private readonly TempDirectory _folder = new("mlflow-stand-in");
    private int _failuresLeft;
    private int _failureStatus;
    private int _requests;

    private MlflowStandInServer()
    {
        _store = new FileTrackingStore(_folder.Combine("mlruns"));
    }

    public string Url { get; private set; } = string.Empty;

    public FileTrackingStore Backend => _store;

    public List<(int Metrics, int Params, int Tags)> BatchSizes { get; } = [];

    public string? LastAuthorization { get; private set; }

    public int Requests => _requests;

    public static async Task<MlflowStandInServer> StartAsync(int port = 0)
    {
        var server = new MlflowStandInServer();
        (server._app, server.Url) = await LoopbackWebApp.StartAsync(app => app.Run(server.HandleAsync), port);
        return server;
    }

    /// <summary>The next <paramref name="count"/> requests get <paramref name="status"/> (503 and 429 are retried by clients).</summary>
    public void FailNext(int status, int count)
    {
        _failureStatus = status;
        _failuresLeft = count;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        LastAuthorization = context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null;
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            await Json(
                context,
                _failureStatus,
                new JsonObject
                {
                    ["error_code"] = _failureStatus == 503 ? "TEMPORARILY_UNAVAILABLE" : "INTERNAL_ERROR",
                    ["message"] = "injected failure",
                }
            );
            return;
        }

        try
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path.StartsWith(Artifacts, StringComparison.Ordinal))
            {
                await ArtifactAsync(context, path[Artifacts.Length..].TrimStart('/'));
                return;
            }

            var body =
                context.Request.ContentLength > 0 || context.Request.Method != "GET"
                    ? await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? []
                    : [];
            var query = context.Request.Query;
            string Q(string key) => query[key].ToString();
            string B(string key) => body[key]?.ToString() ?? string.Empty;
            JsonObject response = (context.Request.Method, path[Api.Length..]) switch
            {
                ("GET", "experiments/get-by-name") => await _store.GetExperimentByNameAsync(Q("experiment_name"))
                    is { } e
                    ? new JsonObject { ["experiment"] = Experiment(e) }
                    : throw new TrackingException(
                        "RESOURCE_DOES_NOT_EXIST",
                        404,
                        $"Could not find experiment with name '{Q("experiment_name")}'"
                    ),
                ("POST", "experiments/create") => new JsonObject
                {
                    ["experiment_id"] = await _store.CreateExperimentAsync(B("name"), Pairs(body["tags"])),
                },
                ("GET", "experiments/get") => new JsonObject
                {
                    ["experiment"] = Experiment(await _store.GetExperimentAsync(Q("experiment_id"))),
                },
                ("POST", "runs/create") => new JsonObject
                {
                    ["run"] = Run(
                        await _store.GetRunAsync(
                            (
                                // Like the real server: the run's user is the request's user_id, never the mlflow.user tag.
                                await _store.CreateRunAsync(
                                    B("experiment_id"),
                                    B("run_name"),
                                    long.Parse(B("start_time"), CultureInfo.InvariantCulture),
                                    Pairs(body["tags"]),
                                    B("user_id")
                                )
                            ).RunId
                        )
                    ),
                },
                ("POST", "runs/log-batch") => await LogBatch(body),
                ("POST", "runs/log-metric") => await Log(
                    body,
                    new RunBatch([MetricOf(body)], new Dictionary<string, string>(), new Dictionary<string, string>())
                ),
                ("POST", "runs/log-parameter") => await Log(
                    body,
                    new RunBatch(
                        [],
                        new Dictionary<string, string> { [B("key")] = B("value") },
                        new Dictionary<string, string>()
                    )
                ),
                ("POST", "runs/set-tag") => await Log(
                    body,
                    new RunBatch(
                        [],
                        new Dictionary<string, string>(),
                        new Dictionary<string, string> { [B("key")] = B("value") }
                    )
                ),
                ("POST", "runs/update") => await Update(body),
                ("GET", "runs/get") => new JsonObject
                {
                    ["run"] = Run(await _store.GetRunAsync(Q("run_id")), _store.ReadInputs(Q("run_id"))),
                },
                ("POST", "runs/log-inputs") => await LogInputs(body),
                ("POST", "runs/search") => await Search(body),
                ("GET", "metrics/get-history") => new JsonObject
                {
                    ["metrics"] = new JsonArray([
                        .. (await _store.GetMetricHistoryAsync(Q("run_id"), Q("metric_key"))).Select(m =>
                            (JsonNode)Metric(m)
                        ),
                    ]),
                },
                ("POST", "registered-models/create") => await Do(() =>
                    _store.CreateRegisteredModelAsync(B("name"), body["description"]?.ToString())
                ),
                ("GET", "registered-models/get") => await _store.GetRegisteredModelAsync(Q("name")) is { } m
                    ? new JsonObject { ["registered_model"] = Model(m) }
                    : throw new TrackingException(
                        "RESOURCE_DOES_NOT_EXIST",
                        404,
                        $"Registered Model with name={Q("name")} not found"
                    ),
                ("POST", "registered-models/set-tag") => await Do(() =>
                    _store.SetRegisteredModelTagAsync(B("name"), B("key"), B("value"))
                ),
                ("POST", "model-versions/create") => new JsonObject
                {
                    ["model_version"] = Version(
                        await _store.CreateModelVersionAsync(B("name"), B("source"), B("run_id"), Pairs(body["tags"]))
                    ),
                },
                ("GET", "model-versions/get") => new JsonObject
                {
                    ["model_version"] = Version(await _store.GetModelVersionAsync(Q("name"), Q("version"))),
                },
                ("GET", "model-versions/search") => new JsonObject
                {
                    ["model_versions"] = new JsonArray([
                        .. (await _store.SearchModelVersionsAsync(Q("filter").Split('\'')[1])).Select(v =>
                            (JsonNode)Version(v)
                        ),
                    ]),
                },
                ("POST", "registered-models/alias") => await Do(() =>
                    _store.SetAliasAsync(B("name"), B("alias"), B("version"))
                ),
                ("GET", "registered-models/alias") => new JsonObject
                {
                    ["model_version"] = Version(await _store.GetModelVersionByAliasAsync(Q("name"), Q("alias"))),
                },
                ("DELETE", "registered-models/alias") => await Do(() => _store.DeleteAliasAsync(B("name"), B("alias"))),
                _ => throw new TrackingException(
                    "ENDPOINT_NOT_FOUND",
                    404,
                    $"no route {context.Request.Method} {path}"
                ),
            };
            await Json(context, 200, response);
        }
        catch (TrackingException ex)
        {
            await Json(
                context,
                ex.StatusCode == 0 ? 500 : ex.StatusCode,
                new JsonObject
                {
                    ["error_code"] = ex.ErrorCode ?? "INTERNAL_ERROR",
                    ["message"] = ex.Message[((ex.ErrorCode?.Length + 2) ?? 0)..],
                }
            );
        }
    }

    private async Task<JsonObject> LogBatch(JsonObject body)
    {
        var metrics = (body["metrics"] as JsonArray ?? []).Select(m => MetricOf(m!.AsObject())).ToList();
        var parameters = Pairs(body["params"]);
        var tags = Pairs(body["tags"]);
        lock (BatchSizes)
        {
            BatchSizes.Add((metrics.Count, parameters.Count, tags.Count));
        }

        return await Log(body, new RunBatch(metrics, parameters, tags));
    }

    private async Task<JsonObject> Log(JsonObject body, RunBatch batch)
    {
        await _store.LogBatchAsync(body["run_id"]!.ToString(), batch);
        return [];
    }

    private async Task<JsonObject> Update(JsonObject body)
    {
        var runId = body["run_id"]!.ToString();
        var end = body["end_time"] is { } e ? e.GetValue<long>() : (long?)null;
        await _store.UpdateRunAsync(runId, Enum.Parse<RunStatus>(body["status"]!.ToString(), ignoreCase: true), end);
        return new JsonObject { ["run_info"] = Run(await _store.GetRunAsync(runId))["info"]!.DeepClone() };
    }

    private async Task<JsonObject> Search(JsonObject body)
    {
        var page = await _store.SearchRunsAsync(
            [.. body["experiment_ids"]!.AsArray().Select(i => i!.ToString())],
            body["filter"]?.ToString(),
            body["order_by"] is JsonArray order ? [.. order.Select(o => o!.ToString())] : null,
            body["max_results"]?.GetValue<int>() ?? 1000,
            body["page_token"]?.ToString()
        );
        var response = new JsonObject();
        if (page.Runs.Count > 0)
        {
            response["runs"] = new JsonArray([.. page.Runs.Select(r => (JsonNode)Run(r))]);
        }

        if (page.NextPageToken is { } token)
        {
            response["next_page_token"] = token;
        }

        return response;
    }

    private async Task ArtifactAsync(HttpContext context, string relative)
    {
        if (relative.Length == 0)
        {
            // Proxy listing: ?path=<exp>/<run>/artifacts[/sub]; basenames only.
            var parts = context.Request.Query["path"].ToString().Split('/', 4);
            var run = await _store.GetRunAsync(parts[1]);
            var sub = parts.Length > 3 ? parts[3] : null;
            var files = await _store.ListArtifactsAsync(run.Info, sub);
            var response = new JsonObject();
            if (files.Count > 0)
            {
                response["files"] = new JsonArray([
                    .. files.Select(f =>
                    {
                        var entry = new JsonObject { ["path"] = f.Path.Split('/')[^1], ["is_dir"] = f.IsDirectory };
                        if (f.Size is { } size)
                        {
                            entry["file_size"] = size;
                        }

                        return (JsonNode)entry;
                    }),
                ]);
            }

            await Json(context, 200, response);
            return;
        }

        var segments = relative.Split('/', 4);
        var info = (await _store.GetRunAsync(segments[1])).Info;
        var artifactPath = Uri.UnescapeDataString(segments[3]);
        if (context.Request.Method == "PUT")
        {
            var temp = Path.GetTempFileName();
            await using (var file = File.Create(temp))
            {
                await context.Request.Body.CopyToAsync(file);
            }

            await _store.UploadArtifactAsync(info, artifactPath, temp);
            File.Delete(temp);
            await Json(context, 200, []);
            return;
        }

        var local = Path.Combine(_store.ArtifactFolder(info), artifactPath);
        if (!File.Exists(local))
        {
            await Json(
                context,
                500,
                new JsonObject
                {
                    ["error_code"] = "INTERNAL_ERROR",
                    ["message"] = $"No such file or directory: '{artifactPath}'",
                }
            );
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.SendFileAsync(local);
    }

    private static async Task<JsonObject> Do(Func<Task> action)
    {
        await action();
        return [];
    }

    private static async Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static Dictionary<string, string> Pairs(JsonNode? node) =>
        (node as JsonArray ?? []).ToDictionary(p => p!["key"]!.ToString(), p => p!["value"]!.ToString());

    private static JsonArray PairArray(IReadOnlyDictionary<string, string> pairs) =>
        [.. pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })];

    private static Metric MetricOf(JsonObject m) =>
        new(
            m["key"]!.ToString(),
            m["value"]!.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? double.Parse(m["value"]!.ToString(), CultureInfo.InvariantCulture)
                : m["value"]!.GetValue<double>(),
            m["timestamp"]!.GetValue<long>(),
            m["step"]?.GetValue<long>() ?? 0
        );

    private static JsonObject Metric(Metric m) =>
        new()
        {
            ["key"] = m.Key,
            ["value"] = m.Value,
            ["timestamp"] = m.Timestamp,
            ["step"] = m.Step,
        };

    private static JsonObject Experiment(Experiment e) =>
        new()
        {
            ["experiment_id"] = e.Id,
            ["name"] = e.Name,
            ["artifact_location"] = $"mlflow-artifacts:/{e.Id}",
            ["lifecycle_stage"] = e.LifecycleStage,
            ["tags"] = PairArray(e.Tags),
        };

    private async Task<JsonObject> LogInputs(JsonObject body)
    {
        var inputs = (body["datasets"] as JsonArray ?? [])
            .Select(d =>
            {
                var dataset = d!["dataset"]!;
                string? Text(string key) => dataset[key]?.ToString();
                return new DatasetInput(
                    Text("name") ?? string.Empty,
                    Text("digest") ?? string.Empty,
                    Text("source_type") ?? string.Empty,
                    Text("source") ?? string.Empty,
                    Text("schema"),
                    Text("profile"),
                    Pairs(d["tags"])
                );
            })
            .ToList();
        await _store.LogInputsAsync(body["run_id"]!.ToString(), inputs);
        return [];
    }

    private static JsonObject Run(Run run, IReadOnlyList<DatasetInput>? inputs = null)
    {
        var info = new JsonObject
        {
            ["run_uuid"] = run.Info.RunId,
            ["experiment_id"] = run.Info.ExperimentId,
            ["run_name"] = run.Info.RunName,
            ["user_id"] = run.Info.UserId,
            ["status"] = run.Info.Status.ToString().ToUpperInvariant(),
            ["start_time"] = run.Info.StartTime,
            ["artifact_uri"] = $"mlflow-artifacts:/{run.Info.ExperimentId}/{run.Info.RunId}/artifacts",
            ["lifecycle_stage"] = run.Info.LifecycleStage,
            ["run_id"] = run.Info.RunId,
        };
        if (run.Info.EndTime is { } end)
        {
            info["end_time"] = end;
        }

        return new JsonObject
        {
            ["info"] = info,
            ["data"] = new JsonObject
            {
                ["metrics"] = new JsonArray([.. run.Metrics.Values.Select(m => (JsonNode)Metric(m))]),
                ["params"] = PairArray(run.Params),
                ["tags"] = PairArray(run.Tags),
            },
            ["inputs"] = inputs is { Count: > 0 }
                ? new JsonObject
                {
                    ["dataset_inputs"] = new JsonArray([
                        .. inputs.Select(i =>
                            (JsonNode)
                                new JsonObject
                                {
                                    ["tags"] = PairArray(i.Tags),
                                    ["dataset"] = new JsonObject
                                    {
                                        ["name"] = i.Name,
                                        ["digest"] = i.Digest,
                                        ["source_type"] = i.SourceType,
                                        ["source"] = i.Source,
                                        ["profile"] = i.Profile,
                                    },
                                }
                        ),
                    ]),
                }
                : new JsonObject(),
        };
    }

    private static JsonObject Version(ModelVersion v)
    {
        var node = new JsonObject
        {
            ["name"] = v.Name,
            ["version"] = v.Version,
            ["creation_timestamp"] = v.CreationTimestamp,
            ["current_stage"] = "None",
            ["source"] = v.Source,
            ["run_id"] = v.RunId,
            ["status"] = v.Status,
        };
        if (v.Aliases.Count > 0)
        {
            node["aliases"] = new JsonArray([.. v.Aliases.Select(a => (JsonNode)a)]);
        }

        if (v.Tags.Count > 0)
        {
            node["tags"] = PairArray(v.Tags);
        }

        return node;
    }

    private static JsonObject Model(RegisteredModel m)
    {
        var node = new JsonObject { ["name"] = m.Name };
        if (m.Description is not null)
        {
            node["description"] = m.Description;
        }

        if (m.Aliases.Count > 0)
        {
            node["aliases"] = new JsonArray([
                .. m.Aliases.Select(a => (JsonNode)new JsonObject { ["alias"] = a.Key, ["version"] = a.Value }),
            ]);
        }

        if (m.Tags.Count > 0)
        {
            node["tags"] = PairArray(m.Tags);
        }

        return node;
    }
}
