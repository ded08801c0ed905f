using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Testing;

/// <summary>
/// A loopback stand-in for the Kubernetes API server, for the real kubectl: discovery, OpenAPI v3 field-validation
/// support, server-side apply, strategic-merge and JSON patches, list and watch, and a tiny deployment controller
/// (ReplicaSets with revisions, one pod per ReplicaSet, status). There is no real API server on this machine.
/// Images for which <see cref="IsReady"/> is false never become available: their rollout exceeds its deadline.
/// Watches speak the real protocol: one JSON event per line on a chunked response, replayed from the requested
/// <c>resourceVersion</c>, bookmarks when asked for, and a 410 Gone ERROR event for versions older than the last
/// <see cref="Compact"/>. <see cref="DropWatches"/> cuts every open watch mid-stream.
/// </summary>
public sealed class KubernetesStandInServer : IAsyncDisposable
{
    private static readonly (string GroupVersion, string Plural, string Kind, bool Namespaced)[] Resources =
    [
        ("v1", "namespaces", "Namespace", false),
        ("v1", "configmaps", "ConfigMap", true),
        ("v1", "secrets", "Secret", true),
        ("v1", "services", "Service", true),
        ("v1", "pods", "Pod", true),
        ("v1", "events", "Event", true),
        ("v1", "serviceaccounts", "ServiceAccount", true),
        ("v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        ("rbac.authorization.k8s.io/v1", "roles", "Role", true),
        ("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding", true),
        ("apps/v1", "deployments", "Deployment", true),
        ("apps/v1", "statefulsets", "StatefulSet", true),
        ("apps/v1", "replicasets", "ReplicaSet", true),
        ("batch/v1", "jobs", "Job", true),
        ("batch/v1", "cronjobs", "CronJob", true),
        ("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
        ("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
        ("networking.k8s.io/v1", "ingresses", "Ingress", true),
        ("networking.k8s.io/v1", "networkpolicies", "NetworkPolicy", true),
        ("coordination.k8s.io/v1", "leases", "Lease", true),
    ];

    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);

    /// <summary>Who owns each Deployment's spec.replicas (server-side apply's field ownership, for that one field).</summary>
    private readonly ConcurrentDictionary<string, string> _replicasOwner = new(StringComparer.Ordinal);
    private volatile bool _down;
    private readonly object _gate = new();
    private readonly List<Change> _history = [];
    private readonly List<System.Threading.Channels.Channel<Change>> _watches = [];
    private CancellationTokenSource _dropWatches = new();
    private long _compactedThrough;
    private long _version = 1;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public string Url { get; private set; } = string.Empty;

    public Func<string, bool> IsReady { get; set; } = image => !image.Contains("never-ready", StringComparison.Ordinal);

    public List<string> Requests { get; } = [];

    /// <summary>How long a watch stays open at most (kubectl does not exit before its watch ends, so keep it short for kubectl).</summary>
    public TimeSpan MaxWatchDuration { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a watch that allows bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The newest resourceVersion.</summary>
    public long ResourceVersion => Interlocked.Read(ref _version);

    public static async Task<KubernetesStandInServer> StartAsync()
    {
        var server = new KubernetesStandInServer();
        var (app, url) = await LoopbackWebApp.StartAsync(app => app.Run(server.HandleAsync));
        server._app = app;
        server.Url = url;
        return server;
    }

    /// <summary>A kubeconfig whose context <c>stand-in</c> points at this server.</summary>
    public string WriteKubeconfig(string path)
    {
        File.WriteAllText(
            path,
            $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"} name: stand-in, cluster: {"{"} server: "{Url}" {"}"} {"}"}]
            users: [{"{"} name: stand-in, user: {"{"} token: stand-in {"}"} {"}"}]
            contexts: [{"{"} name: stand-in, context: {"{"} cluster: stand-in, user: stand-in {"}"} {"}"}]
            current-context: stand-in
            """
        );
        return path;
    }

    public JsonObject? Get(string groupVersion, string plural, string? ns, string name) =>
        _objects.TryGetValue(Key(groupVersion, plural, ns, name), out var value) ? value : null;

    /// <summary>The objects of one resource in a namespace, by name.</summary>
    public IReadOnlyList<JsonObject> List(string groupVersion, string plural, string? ns) =>
        [.. List(groupVersion, plural, ns, null, null)];

    /// <summary>Creates or replaces an object as a client would (its apiVersion and kind say where it lives); watchers see the change.</summary>
    public JsonObject Put(JsonObject item)
    {
        var groupVersion = item["apiVersion"]!.GetValue<string>();
        var resource = Resources.Single(r =>
            r.GroupVersion == groupVersion && r.Kind == item["kind"]!.GetValue<string>()
        );
        var metadata = item["metadata"]!;
        lock (_gate)
        {
            return Save(
                resource,
                metadata["namespace"]?.GetValue<string>(),
                metadata["name"]!.GetValue<string>(),
                item.DeepClone().AsObject()
            );
        }
    }

    /// <summary>
    /// What the HorizontalPodAutoscaler does between deploys: sets a Deployment's <c>spec.replicas</c> through the scale
    /// subresource, so the controller manager, not the last applier, owns the field.
    /// </summary>
    public void Scale(string ns, string deployment, int replicas)
    {
        lock (_gate)
        {
            var current = Get("apps/v1", "deployments", ns, deployment)!.DeepClone().AsObject();
            current["spec"]!["replicas"] = replicas;
            _replicasOwner[Key("apps/v1", "deployments", ns, deployment)] = "kube-controller-manager";
            Save(Resources.Single(r => r.Kind == "Deployment"), ns, deployment, current);
        }
    }

    /// <summary>A namespace being deleted: the server refuses new content in it, as a real one does.</summary>
    public void Terminate(string ns)
    {
        lock (_gate)
        {
            var item = Get("v1", "namespaces", null, ns)!.DeepClone().AsObject();
            item["status"] = new JsonObject { ["phase"] = "Terminating" };
            Save(Resources.Single(r => r.Kind == "Namespace"), null, ns, item);
        }
    }

    /// <summary>
    /// The API server unreachable until the returned handle is disposed: every request's connection is dropped
    /// without an answer, open watches included, as when the control plane is down.
    /// </summary>
    public IDisposable Outage()
    {
        _down = true;
        DropWatches();
        return new Restore(() => _down = false);
    }

    /// <summary>Every request answered 403, as when the caller's credentials or RBAC are wrong: retrying cannot help.</summary>
    public bool ForbidAll { get; set; }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>Deletes an object as a client would; watchers see DELETED.</summary>
    public void Remove(string groupVersion, string plural, string? ns, string name)
    {
        lock (_gate)
        {
            Remove(Key(groupVersion, plural, ns, name));
        }
    }

    /// <summary>What the job controller would report when the Job's pod finished: Complete, or Failed after its retries.</summary>
    public void FinishJob(string ns, string name, bool succeeded)
    {
        var job =
            Get("batch/v1", "jobs", ns, name)?.DeepClone().AsObject()
            ?? throw new InvalidOperationException($"no job {ns}/{name}");
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        job["status"] = succeeded
            ? new JsonObject
            {
                ["succeeded"] = 1,
                ["completionTime"] = now,
                ["conditions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Complete",
                        ["status"] = "True",
                        ["lastTransitionTime"] = now,
                    }
                ),
            }
            : new JsonObject
            {
                ["failed"] = (job["spec"]?["backoffLimit"]?.GetValue<int>() ?? 6) + 1,
                ["conditions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Failed",
                        ["status"] = "True",
                        ["reason"] = "BackoffLimitExceeded",
                        ["message"] = "Job has reached the specified backoff limit",
                        ["lastTransitionTime"] = now,
                    }
                ),
            };
        Put(job);
    }

    /// <summary>Forgets the change history up to now, as etcd compaction does: a watch from an older version gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedThrough = Interlocked.Read(ref _version);
            _history.Clear();
        }
    }

    /// <summary>Cuts every open watch connection mid-stream, as a restarting API server or a broken network would.</summary>
    public void DropWatches()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _dropWatches;
            _dropWatches = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static string Key(string groupVersion, string plural, string? ns, string name) =>
        $"{groupVersion}/{plural}/{ns}/{name}";

    private async Task HandleAsync(HttpContext http)
    {
        if (_down)
        {
            http.Abort();
            return;
        }

        if (ForbidAll)
        {
            await Status(http, 403, "Forbidden", "the stand-in forbids every request");
            return;
        }

        var path = http.Request.Path.Value!.TrimEnd('/');
        lock (Requests)
        {
            Requests.Add($"{http.Request.Method} {path}{http.Request.QueryString}");
        }

        switch (path)
        {
            case "/version":
                await Json(
                    http,
                    new JsonObject
                    {
                        ["major"] = "1",
                        ["minor"] = "32",
                        ["gitVersion"] = "v1.32.0-stand-in",
                    }
                );
                return;
            case "/api":
                await Json(
                    http,
                    new JsonObject
                    {
                        ["kind"] = "APIVersions",
                        ["versions"] = new JsonArray("v1"),
                        ["serverAddressByClientCIDRs"] = new JsonArray(),
                    }
                );
                return;
            case "/apis":
                await Json(
                    http,
                    new JsonObject
                    {
                        ["kind"] = "APIGroupList",
                        ["apiVersion"] = "v1",
                        ["groups"] = new JsonArray([
                            .. Resources
                                .Select(r => r.GroupVersion)
                                .Where(g => g.Contains('/'))
                                .Distinct()
                                .Select(gv =>
                                    (JsonNode)
                                        new JsonObject
                                        {
                                            ["name"] = gv.Split('/')[0],
                                            ["versions"] = new JsonArray(
                                                new JsonObject { ["groupVersion"] = gv, ["version"] = gv.Split('/')[1] }
                                            ),
                                            ["preferredVersion"] = new JsonObject
                                            {
                                                ["groupVersion"] = gv,
                                                ["version"] = gv.Split('/')[1],
                                            },
                                        }
                                ),
                        ]),
                    }
                );
                return;
            case "/openapi/v2":
                // The swagger 2.0 document kubectl falls back to for a kind the v3 index does not list (a custom
                // resource whose CRD is missing): loose schemas of the kinds this server knows, so kubectl goes on to
                // map the kind and reports the missing one by name, as against a real server.
                await Json(
                    http,
                    new JsonObject
                    {
                        ["swagger"] = "2.0",
                        ["info"] = new JsonObject { ["title"] = "Kubernetes stand-in", ["version"] = "v1.32.0" },
                        ["paths"] = new JsonObject(),
                        ["definitions"] = new JsonObject(
                            Resources.Select(r =>
                                KeyValuePair.Create(
                                    $"stand-in.{r.GroupVersion.Replace('/', '.')}.{r.Kind}",
                                    (JsonNode?)
                                        new JsonObject
                                        {
                                            ["type"] = "object",
                                            ["x-kubernetes-group-version-kind"] = new JsonArray(
                                                new JsonObject
                                                {
                                                    ["group"] = r.GroupVersion.Contains('/')
                                                        ? r.GroupVersion.Split('/')[0]
                                                        : "",
                                                    ["version"] = r.GroupVersion.Split('/')[^1],
                                                    ["kind"] = r.Kind,
                                                }
                                            ),
                                        }
                                )
                            )
                        ),
                    }
                );
                return;
            case "/openapi/v3":
                await Json(
                    http,
                    new JsonObject
                    {
                        ["paths"] = new JsonObject(
                            Resources
                                .Select(r => r.GroupVersion)
                                .Distinct()
                                .Select(gv =>
                                    KeyValuePair.Create(
                                        GroupVersionPath(gv)[1..],
                                        (JsonNode?)
                                            new JsonObject
                                            {
                                                ["serverRelativeURL"] = $"/openapi/v3{GroupVersionPath(gv)}",
                                            }
                                    )
                                )
                        ),
                    }
                );
                return;
        }

        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            await Json(http, OpenApi(path["/openapi/v3".Length..]));
            return;
        }

        var (groupVersion, rest) = SplitGroupVersion(path);
        if (groupVersion is null)
        {
            await Status(http, 404, "NotFound", $"the server could not find the requested resource ({path})");
            return;
        }

        if (rest.Length == 0)
        {
            await Json(
                http,
                new JsonObject
                {
                    ["kind"] = "APIResourceList",
                    ["apiVersion"] = "v1",
                    ["groupVersion"] = groupVersion,
                    ["resources"] = new JsonArray([
                        .. Resources
                            .Where(r => r.GroupVersion == groupVersion)
                            .SelectMany(r =>
                                new[]
                                {
                                    (JsonNode)
                                        new JsonObject
                                        {
                                            ["name"] = r.Plural,
                                            ["singularName"] = r.Kind.ToLowerInvariant(),
                                            ["namespaced"] = r.Namespaced,
                                            ["kind"] = r.Kind,
                                            ["verbs"] = new JsonArray(
                                                "create",
                                                "delete",
                                                "get",
                                                "list",
                                                "patch",
                                                "update",
                                                "watch"
                                            ),
                                        },
                                }
                            )
                            .Concat(
                                groupVersion == "v1"
                                    ?
                                    [
                                        new JsonObject
                                        {
                                            ["name"] = "pods/log",
                                            ["singularName"] = "",
                                            ["namespaced"] = true,
                                            ["kind"] = "Pod",
                                            ["verbs"] = new JsonArray("get"),
                                        },
                                    ]
                                    : []
                            ),
                    ]),
                }
            );
            return;
        }

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var resource = Resources.FirstOrDefault(r => r.GroupVersion == groupVersion && r.Plural == rest[0]);
        if (resource.Plural is null)
        {
            await Status(http, 404, "NotFound", $"the server could not find the requested resource ({path})");
            return;
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        if (sub == "log")
        {
            var container = http.Request.Query["container"].ToString();
            if (Get("v1", "pods", ns, name!) is { } pod && pod["status"]?["phase"]?.GetValue<string>() == "Pending")
            {
                // A container that never started has no logs; the real server answers 400 and says why.
                var first = pod["spec"]?["containers"]?[0]?["name"]?.GetValue<string>() ?? container;
                await Status(
                    http,
                    400,
                    "BadRequest",
                    $"container \"{first}\" in pod \"{name}\" is waiting to start: trying and failing to pull image"
                );
                return;
            }

            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(
                $"stand-in log of pod {name}, container {container}: listening on http://+:8080\n"
            );
            return;
        }

        switch (http.Request.Method)
        {
            case "GET" when name is not null:
                if (Get(groupVersion, resource.Plural, ns, name) is { } found)
                {
                    await Json(http, found);
                }
                else
                {
                    await Status(http, 404, "NotFound", $"{resource.Plural} \"{name}\" not found");
                }

                return;
            case "GET" when http.Request.Query["watch"] == "true" || http.Request.Query["watch"] == "1":
                await WatchAsync(http, resource, ns);
                return;
            case "GET":
                await Json(
                    http,
                    new JsonObject
                    {
                        ["kind"] = resource.Kind + "List",
                        ["apiVersion"] = groupVersion,
                        ["metadata"] = new JsonObject
                        {
                            ["resourceVersion"] = Interlocked.Read(ref _version).ToString(),
                        },
                        ["items"] = new JsonArray([
                            .. List(
                                    groupVersion,
                                    resource.Plural,
                                    ns,
                                    http.Request.Query["labelSelector"],
                                    http.Request.Query["fieldSelector"]
                                )
                                .Select(o => o.DeepClone()),
                        ]),
                    }
                );
                return;
            case "PATCH" when name is not null:
                await PatchAsync(http, resource, ns, name);
                return;
            case "POST" when name is null:
                await CreateAsync(http, resource, ns);
                return;
            case "PUT" when name is not null:
                await ReplaceAsync(http, resource, ns, name);
                return;
            default:
                await Status(http, 405, "MethodNotAllowed", $"{http.Request.Method} is not supported by the stand-in");
                return;
        }
    }

    private async Task PatchAsync(
        HttpContext http,
        (string GroupVersion, string Plural, string Kind, bool Namespaced) resource,
        string? ns,
        string name
    )
    {
        if (await RefuseNamespaceAsync(http, resource, ns, name))
        {
            return;
        }

        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var type = http.Request.ContentType ?? string.Empty;
        var dryRun = http.Request.Query["dryRun"] == "All";
        var manager = http.Request.Query["fieldManager"].ToString();
        JsonObject result;
        bool created;
        lock (_gate)
        {
            var existing = Get(resource.GroupVersion, resource.Plural, ns, name);
            created = existing is null;
            JsonObject updated;
            if (type.StartsWith("application/apply-patch", StringComparison.Ordinal))
            {
                var applied = JsonNode.Parse(body)!.AsObject();
                updated = existing?.DeepClone().AsObject() ?? new JsonObject();
                foreach (var (key, value) in applied)
                {
                    updated[key] =
                        key == "metadata" ? Merge(updated[key]?.DeepClone(), value?.DeepClone()) : value?.DeepClone();
                }

                if (resource.Kind == "Deployment")
                {
                    // Server-side apply of one field: an apply that sets replicas owns them; one that leaves them out
                    // gives them up, and they keep their value only if another manager (the autoscaler) owns them.
                    var key = Key(resource.GroupVersion, resource.Plural, ns, name);
                    if (applied["spec"]?["replicas"] is not null)
                    {
                        if (!dryRun)
                        {
                            _replicasOwner[key] = manager;
                        }
                    }
                    else if (
                        existing?["spec"]?["replicas"] is { } kept
                        && _replicasOwner.TryGetValue(key, out var owner)
                        && owner != manager
                        && updated["spec"] is JsonObject spec
                    )
                    {
                        spec["replicas"] = kept.DeepClone();
                    }
                }
            }
            else if (existing is null)
            {
                http.Response.StatusCode = 404;
                result = StatusObject(404, "NotFound", $"{resource.Plural} \"{name}\" not found");
                goto done;
            }
            else if (type.StartsWith("application/json-patch", StringComparison.Ordinal))
            {
                updated = existing.DeepClone().AsObject();
                foreach (var op in JsonNode.Parse(body)!.AsArray())
                {
                    var segments = op!["path"]!.GetValue<string>().Trim('/').Split('/');
                    var parent = segments[..^1].Aggregate((JsonNode)updated, (node, segment) => node[segment]!);
                    parent[segments[^1]] = op["value"]?.DeepClone();
                }
            }
            else
            {
                updated = (JsonObject)Merge(existing.DeepClone(), JsonNode.Parse(body))!;
            }

            // A server-side dry run validates and admits, and stores nothing.
            updated = dryRun ? updated : Save(resource, ns, name, updated);
            result = updated;
        }

        http.Response.StatusCode = created ? 201 : 200;
        done:
        await Json(http, result, http.Response.StatusCode);
    }

    /// <summary>
    /// A namespace that does not exist (404) takes nothing; one being deleted (403) takes no new objects, while
    /// objects already in it may still change, as the real server's namespace lifecycle admission decides.
    /// </summary>
    private async Task<bool> RefuseNamespaceAsync(
        HttpContext http,
        (string GroupVersion, string Plural, string Kind, bool Namespaced) resource,
        string? ns,
        string? name = null
    )
    {
        if (!resource.Namespaced)
        {
            return false;
        }

        var namespaceObject = Get("v1", "namespaces", null, ns!);
        if (namespaceObject is null)
        {
            await Status(http, 404, "NotFound", $"namespaces \"{ns}\" not found");
            return true;
        }

        if (
            namespaceObject["status"]?["phase"]?.GetValue<string>() == "Terminating"
            && (name is null || Get(resource.GroupVersion, resource.Plural, ns, name) is null)
        )
        {
            await Status(
                http,
                403,
                "Forbidden",
                $"{resource.Plural} is forbidden: unable to create new content in namespace {ns} because it is being terminated"
            );
            return true;
        }

        return false;
    }

    private async Task CreateAsync(
        HttpContext http,
        (string GroupVersion, string Plural, string Kind, bool Namespaced) resource,
        string? ns
    )
    {
        if (await RefuseNamespaceAsync(http, resource, ns))
        {
            return;
        }

        var body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject();
        var metadata = body["metadata"]!;
        var name =
            metadata["name"]?.GetValue<string>()
            ?? metadata["generateName"]!.GetValue<string>() + Guid.NewGuid().ToString("N")[..5];
        JsonObject created;
        lock (_gate)
        {
            if (Get(resource.GroupVersion, resource.Plural, ns, name) is not null)
            {
                created = StatusObject(409, "AlreadyExists", $"{resource.Plural} \"{name}\" already exists");
            }
            else
            {
                metadata.AsObject().Remove("resourceVersion");
                created = Save(resource, ns, name, body);
            }
        }

        await Json(http, created, created["kind"]!.GetValue<string>() == "Status" ? 409 : 201);
    }

    private async Task ReplaceAsync(
        HttpContext http,
        (string GroupVersion, string Plural, string Kind, bool Namespaced) resource,
        string? ns,
        string name
    )
    {
        var body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject();
        JsonObject result;
        int status;
        lock (_gate)
        {
            var existing = Get(resource.GroupVersion, resource.Plural, ns, name);
            var expected = body["metadata"]?["resourceVersion"]?.GetValue<string>();
            (result, status) =
                existing is null ? (StatusObject(404, "NotFound", $"{resource.Plural} \"{name}\" not found"), 404)
                : expected is { Length: > 0 }
                && expected != existing["metadata"]!["resourceVersion"]!.GetValue<string>()
                    ? (
                        StatusObject(
                            409,
                            "Conflict",
                            $"Operation cannot be fulfilled on {resource.Plural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
                        ),
                        409
                    )
                : (Save(resource, ns, name, body), 200);
        }

        await Json(http, result, status);
    }

    /// <summary>Stamps the server-owned metadata, stores the object and tells the watchers. The caller holds the gate.</summary>
    private JsonObject Save(
        (string GroupVersion, string Plural, string Kind, bool Namespaced) resource,
        string? ns,
        string name,
        JsonObject updated
    )
    {
        var existing = Get(resource.GroupVersion, resource.Plural, ns, name);
        var metadata = updated["metadata"] ??= new JsonObject();
        metadata["name"] = name;
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        metadata["uid"] =
            existing?["metadata"]?["uid"]?.DeepClone() ?? metadata["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] =
            existing?["metadata"]?["creationTimestamp"]?.DeepClone()
            ?? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        updated["apiVersion"] = resource.GroupVersion;
        updated["kind"] = resource.Kind;
        var specChanged = existing is null || !JsonNode.DeepEquals(existing["spec"], updated["spec"]);
        metadata["generation"] = (existing?["metadata"]?["generation"]?.GetValue<long>() ?? 0) + (specChanged ? 1 : 0);
        if (resource.Kind == "Deployment")
        {
            Reconcile(updated, ns!);
        }

        Store(Key(resource.GroupVersion, resource.Plural, ns, name), updated);
        return updated;
    }

    /// <summary>Writes an object with a new resourceVersion and records the change for watchers. The caller holds the gate.</summary>
    private void Store(string key, JsonObject item)
    {
        var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
        var version = Interlocked.Increment(ref _version);
        (item["metadata"] ??= new JsonObject())["resourceVersion"] = version.ToString();
        _objects[key] = item;
        Record(new Change(version, key, type, item.DeepClone().AsObject()));
    }

    private void Remove(string key)
    {
        if (_objects.TryRemove(key, out var removed))
        {
            var version = Interlocked.Increment(ref _version);
            removed["metadata"]!["resourceVersion"] = version.ToString();
            Record(new Change(version, key, "DELETED", removed));
        }
    }

    private void Record(Change change)
    {
        _history.Add(change);
        foreach (var watch in _watches)
        {
            watch.Writer.TryWrite(change);
        }
    }

    private async Task WatchAsync(
        HttpContext http,
        (string GroupVersion, string Plural, string Kind, bool Namespaced) resource,
        string? ns
    )
    {
        var query = http.Request.Query;
        var labels = Pairs(query["labelSelector"]);
        var fields = Pairs(query["fieldSelector"]);
        var from = long.TryParse(query["resourceVersion"], out var v) ? v : 0;
        var duration =
            int.TryParse(query["timeoutSeconds"], out var seconds) && TimeSpan.FromSeconds(seconds) < MaxWatchDuration
                ? TimeSpan.FromSeconds(seconds)
                : MaxWatchDuration;
        var prefix = $"{resource.GroupVersion}/{resource.Plural}/";
        bool Wanted(Change c) =>
            c.Key.StartsWith(prefix, StringComparison.Ordinal) && Matches(c.Object, ns, labels, fields);
        var channel = System.Threading.Channels.Channel.CreateUnbounded<Change>();
        List<Change> backlog;
        CancellationToken dropped;
        bool gone;
        lock (_gate)
        {
            dropped = _dropWatches.Token;
            gone = from > 0 && from < _compactedThrough;
            backlog =
                from == 0
                    ?
                    [
                        .. _objects
                            .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
                            .Select(o => new Change(
                                long.Parse(o.Value["metadata"]!["resourceVersion"]!.GetValue<string>()),
                                o.Key,
                                "ADDED",
                                o.Value.DeepClone().AsObject()
                            ))
                            .OrderBy(c => c.Version),
                    ]
                    : [.. _history.Where(c => c.Version > from)];
            _watches.Add(channel);
        }

        http.Response.ContentType = "application/json";
        await http.Response.StartAsync();
        using var open = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, dropped);
        open.CancelAfter(duration);
        try
        {
            if (gone)
            {
                await WriteEventAsync(
                    http,
                    "ERROR",
                    StatusObject(410, "Expired", $"too old resource version: {from} ({_compactedThrough})"),
                    open.Token
                );
                return;
            }

            foreach (var change in backlog.Where(Wanted))
            {
                await WriteEventAsync(http, change.Type, change.Object, open.Token);
            }

            while (true)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(open.Token);
                tick.CancelAfter(BookmarkInterval);
                try
                {
                    await channel.Reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!open.IsCancellationRequested)
                {
                    if (query["allowWatchBookmarks"] == "true")
                    {
                        var bookmark = new JsonObject
                        {
                            ["kind"] = resource.Kind,
                            ["apiVersion"] = resource.GroupVersion,
                            ["metadata"] = new JsonObject { ["resourceVersion"] = ResourceVersion.ToString() },
                        };
                        await WriteEventAsync(http, "BOOKMARK", bookmark, open.Token);
                    }

                    continue;
                }

                while (channel.Reader.TryRead(out var change))
                {
                    if (Wanted(change))
                    {
                        await WriteEventAsync(http, change.Type, change.Object, open.Token);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (dropped.IsCancellationRequested)
        {
            http.Abort(); // mid-stream, without the chunked terminator: the client sees a broken connection
        }
        catch (OperationCanceledException) { }
        finally
        {
            lock (_gate)
            {
                _watches.Remove(channel);
            }
        }
    }

    private static async Task WriteEventAsync(
        HttpContext http,
        string type,
        JsonObject item,
        CancellationToken cancellationToken
    )
    {
        await http.Response.WriteAsync(
            new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString() + "\n",
            cancellationToken
        );
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    private sealed record Change(long Version, string Key, string Type, JsonObject Object);

    /// <summary>What the deployment controller does, at once: one ReplicaSet per pod template, revisions, a pod, status.</summary>
    private void Reconcile(JsonObject deployment, string ns)
    {
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        var uid = deployment["metadata"]!["uid"]!.GetValue<string>();
        var template = deployment["spec"]!["template"]!.AsObject();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString())))[..10];
        var owned = List("apps/v1", "replicasets", ns, null, null)
            .Where(rs => rs["metadata"]!["ownerReferences"]?[0]?["uid"]?.GetValue<string>() == uid)
            .ToList();
        int Revision(JsonObject o) =>
            int.Parse(o["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        var next = owned.Count == 0 ? 1 : owned.Max(Revision) + 1;
        var rsName = $"{name}-{hash}";
        var current = owned.FirstOrDefault(rs => rs["metadata"]!["name"]!.GetValue<string>() == rsName);
        var revision = current is not null && Revision(current) == next - 1 ? next - 1 : next;
        var rsTemplate = template.DeepClone().AsObject();
        ((rsTemplate["metadata"] ??= new JsonObject())["labels"] ??= new JsonObject())["pod-template-hash"] = hash;
        var replicaSet = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = rsName,
                ["namespace"] = ns,
                ["uid"] = current?["metadata"]?["uid"]?.GetValue<string>() ?? Guid.NewGuid().ToString(),
                ["labels"] = rsTemplate["metadata"]!["labels"]!.DeepClone(),
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = revision.ToString() },
                ["ownerReferences"] = new JsonArray(
                    new JsonObject
                    {
                        ["apiVersion"] = "apps/v1",
                        ["kind"] = "Deployment",
                        ["name"] = name,
                        ["uid"] = uid,
                        ["controller"] = true,
                    }
                ),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = deployment["spec"]!["selector"]!.DeepClone(),
                ["template"] = rsTemplate,
            },
        };
        Store(Key("apps/v1", "replicasets", ns, rsName), replicaSet);
        ((deployment["metadata"]!["annotations"] ??= new JsonObject())["deployment.kubernetes.io/revision"]) =
            revision.ToString();

        var images = template["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.GetValue<string>()).ToList();
        var ready = images.All(IsReady);
        foreach (
            var stale in List("v1", "pods", ns, null, null)
                .Where(p =>
                    p["metadata"]!
                        ["ownerReferences"]
                        ?[0]?["name"]?.GetValue<string>()
                        .StartsWith($"{name}-", StringComparison.Ordinal) == true
                )
                .ToList()
        )
        {
            Remove(Key("v1", "pods", ns, stale["metadata"]!["name"]!.GetValue<string>()));
        }

        var podName = $"{rsName}-x7k2p";
        Store(
            Key("v1", "pods", ns, podName),
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = podName,
                    ["namespace"] = ns,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["ownerReferences"] = new JsonArray(
                        new JsonObject
                        {
                            ["apiVersion"] = "apps/v1",
                            ["kind"] = "ReplicaSet",
                            ["name"] = rsName,
                            ["uid"] = replicaSet["metadata"]!["uid"]!.DeepClone(),
                            ["controller"] = true,
                        }
                    ),
                    ["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                    ["labels"] = rsTemplate["metadata"]!["labels"]!.DeepClone(),
                },
                ["spec"] = rsTemplate["spec"]!.DeepClone(),
                ["status"] = new JsonObject { ["phase"] = ready ? "Running" : "Pending" },
            }
        );
        // The scheduler's events carry eventTime (and series when repeated), never lastTimestamp.
        Store(
            Key("v1", "events", ns, $"{podName}.scheduled"),
            new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = $"{podName}.scheduled", ["namespace"] = ns },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["name"] = podName,
                    ["namespace"] = ns,
                },
                ["reason"] = "Scheduled",
                ["message"] = $"Successfully assigned {ns}/{podName} to stand-in-node",
                ["type"] = "Normal",
                ["reportingComponent"] = "default-scheduler",
                ["eventTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                ["lastTimestamp"] = null,
                ["firstTimestamp"] = null,
                ["source"] = new JsonObject(),
            }
        );
        if (!ready)
        {
            var eventName = $"{podName}.failed";
            Store(
                Key("v1", "events", ns, eventName),
                new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Event",
                    ["metadata"] = new JsonObject { ["name"] = eventName, ["namespace"] = ns },
                    ["involvedObject"] = new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Pod",
                        ["name"] = podName,
                        ["namespace"] = ns,
                    },
                    ["reason"] = "Failed",
                    ["message"] = $"Failed to pull image \"{images.First(i => !IsReady(i))}\": not found",
                    ["type"] = "Warning",
                    ["count"] = 3,
                    ["lastTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                }
            );
        }

        var replicas = deployment["spec"]!["replicas"]?.GetValue<int>() ?? 1;
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.GetValue<long>(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = ready ? replicas : 0,
            ["availableReplicas"] = ready ? replicas : 0,
            ["conditions"] = new JsonArray(
                ready
                    ? new JsonObject
                    {
                        ["type"] = "Progressing",
                        ["status"] = "True",
                        ["reason"] = "NewReplicaSetAvailable",
                    }
                    : new JsonObject
                    {
                        ["type"] = "Progressing",
                        ["status"] = "False",
                        ["reason"] = "ProgressDeadlineExceeded",
                        ["message"] = $"ReplicaSet \"{rsName}\" has timed out progressing.",
                    }
            ),
        };
    }

    private List<JsonObject> List(
        string groupVersion,
        string plural,
        string? ns,
        string? labelSelector,
        string? fieldSelector
    )
    {
        var prefix = $"{groupVersion}/{plural}/";
        var labels = Pairs(labelSelector);
        var fields = Pairs(fieldSelector);
        return _objects
            .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(o => o.Value)
            .Where(o => Matches(o, ns, labels, fields))
            .OrderBy(o => o["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
    }

    private static bool Matches(
        JsonObject item,
        string? ns,
        Dictionary<string, string> labels,
        Dictionary<string, string> fields
    ) =>
        (ns is null || item["metadata"]?["namespace"]?.GetValue<string>() == ns)
        && labels.All(l => item["metadata"]?["labels"]?[l.Key]?.GetValue<string>() == l.Value)
        && fields.All(f =>
            f.Value
            == f.Key.Split('.').Aggregate((JsonNode?)item, (node, segment) => node?[segment])?.GetValue<string>()
        );

    private static Dictionary<string, string> Pairs(string? selector) =>
        string.IsNullOrEmpty(selector)
            ? []
            : selector
                .Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0].TrimEnd('='), p => p[1].TrimStart('='));

    /// <summary>RFC 7386 merge, plus strategic merge's one rule we need: lists of named objects (containers) merge by name.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (
            patch is JsonArray patchList
            && target is JsonArray targetList
            && patchList.All(i => i?["name"] is not null)
            && targetList.All(i => i?["name"] is not null)
        )
        {
            foreach (var item in patchList)
            {
                var match = targetList.FirstOrDefault(t =>
                    t!["name"]!.GetValue<string>() == item!["name"]!.GetValue<string>()
                );
                if (match is null)
                {
                    targetList.Add(item!.DeepClone());
                }
                else
                {
                    targetList[targetList.IndexOf(match)] = Merge(match.DeepClone(), item!.DeepClone());
                }
            }

            return targetList;
        }

        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            result[key] = value is null ? null : Merge(result[key]?.DeepClone(), value);
            if (value is null)
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static (string? GroupVersion, string[] Segments) SplitGroupVersion(string path)
    {
        var segments = path.Trim('/').Split('/');
        if (segments.Length >= 2 && segments[0] == "api" && segments[1] == "v1")
        {
            return ("v1", segments[2..]);
        }

        if (segments.Length >= 3 && segments[0] == "apis")
        {
            var gv = $"{segments[1]}/{segments[2]}";
            return Resources.Any(r => r.GroupVersion == gv) ? (gv, segments[3..]) : (null, []);
        }

        return (null, []);
    }

    private static string GroupVersionPath(string groupVersion) =>
        groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";

    /// <summary>Just enough OpenAPI v3 for kubectl to see that PATCH supports server-side field validation.</summary>
    private static JsonObject OpenApi(string groupVersionPath)
    {
        var paths = new JsonObject();
        foreach (var r in Resources.Where(r => GroupVersionPath(r.GroupVersion) == groupVersionPath))
        {
            var group = r.GroupVersion.Contains('/') ? r.GroupVersion.Split('/')[0] : string.Empty;
            var version = r.GroupVersion.Split('/')[^1];
            var item = r.Namespaced
                ? $"{groupVersionPath}/namespaces/{{namespace}}/{r.Plural}/{{name}}"
                : $"{groupVersionPath}/{r.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{r.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject
                        {
                            ["name"] = "fieldValidation",
                            ["in"] = "query",
                            ["schema"] = new JsonObject { ["type"] = "string" },
                        }
                    ),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-group-version-kind"] = new JsonObject
                    {
                        ["group"] = group,
                        ["version"] = version,
                        ["kind"] = r.Kind,
                    },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes stand-in", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject StatusObject(int code, string reason, string message) =>
        new()
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };

    private static Task Status(HttpContext http, int code, string reason, string message) =>
        Json(http, StatusObject(code, reason, message), code);

    private static async Task Json(HttpContext http, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
