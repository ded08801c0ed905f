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
/// </summary>
public sealed class KubernetesStandInServer : IAsyncDisposable
{
    private static readonly (string GroupVersion, string Plural, string Kind, bool Namespaced)[] Resources =
    [
        ("v1", "namespaces", "Namespace", false), ("v1", "configmaps", "ConfigMap", true), ("v1", "secrets", "Secret", true),
        ("v1", "services", "Service", true), ("v1", "pods", "Pod", true), ("v1", "events", "Event", true),
        ("apps/v1", "deployments", "Deployment", true), ("apps/v1", "statefulsets", "StatefulSet", true), ("apps/v1", "replicasets", "ReplicaSet", true),
        ("batch/v1", "jobs", "Job", true), ("batch/v1", "cronjobs", "CronJob", true),
        ("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true), ("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
        ("networking.k8s.io/v1", "ingresses", "Ingress", true),
    ];

    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _version = 1;
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public string Url { get; private set; } = string.Empty;

    public Func<string, bool> IsReady { get; set; } = image => !image.Contains("never-ready", StringComparison.Ordinal);

    public List<string> Requests { get; } = [];

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
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"} name: stand-in, cluster: {"{"} server: "{Url}" {"}"} {"}"}]
            users: [{"{"} name: stand-in, user: {"{"} token: stand-in {"}"} {"}"}]
            contexts: [{"{"} name: stand-in, context: {"{"} cluster: stand-in, user: stand-in {"}"} {"}"}]
            current-context: stand-in
            """);
        return path;
    }

    public JsonObject? Get(string groupVersion, string plural, string? ns, string name) =>
        _objects.TryGetValue(Key(groupVersion, plural, ns, name), out var value) ? value : null;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static string Key(string groupVersion, string plural, string? ns, string name) => $"{groupVersion}/{plural}/{ns}/{name}";

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value!.TrimEnd('/');
        lock (Requests)
        {
            Requests.Add($"{http.Request.Method} {path}{http.Request.QueryString}");
        }

        switch (path)
        {
            case "/version":
                await Json(http, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-stand-in" });
                return;
            case "/api":
                await Json(http, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray() });
                return;
            case "/apis":
                await Json(http, new JsonObject
                {
                    ["kind"] = "APIGroupList",
                    ["apiVersion"] = "v1",
                    ["groups"] = new JsonArray([.. Resources.Select(r => r.GroupVersion).Where(g => g.Contains('/')).Distinct().Select(gv => (JsonNode)new JsonObject
                    {
                        ["name"] = gv.Split('/')[0],
                        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = gv, ["version"] = gv.Split('/')[1] }),
                        ["preferredVersion"] = new JsonObject { ["groupVersion"] = gv, ["version"] = gv.Split('/')[1] },
                    })]),
                });
                return;
            case "/openapi/v3":
                await Json(http, new JsonObject
                {
                    ["paths"] = new JsonObject(Resources.Select(r => r.GroupVersion).Distinct()
                        .Select(gv => KeyValuePair.Create(GroupVersionPath(gv)[1..], (JsonNode?)new JsonObject { ["serverRelativeURL"] = $"/openapi/v3{GroupVersionPath(gv)}" }))),
                });
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
            await Json(http, new JsonObject
            {
                ["kind"] = "APIResourceList",
                ["apiVersion"] = "v1",
                ["groupVersion"] = groupVersion,
                ["resources"] = new JsonArray([.. Resources.Where(r => r.GroupVersion == groupVersion).SelectMany(r => new[]
                {
                    (JsonNode)new JsonObject
                    {
                        ["name"] = r.Plural, ["singularName"] = r.Kind.ToLowerInvariant(), ["namespaced"] = r.Namespaced, ["kind"] = r.Kind,
                        ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                    },
                }).Concat(groupVersion == "v1" ? [new JsonObject { ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get") }] : [])]),
            });
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
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync($"stand-in log of pod {name}, container {container}: listening on http://+:8080\n");
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
                // Nothing changes behind kubectl's back here: the list it just made is the whole story. End the watch soon;
                // kubectl's reflector simply watches again, and kubectl does not exit before its watch ends.
                http.Response.ContentType = "application/json";
                await http.Response.StartAsync();
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            case "GET":
                await Json(http, new JsonObject
                {
                    ["kind"] = resource.Kind + "List",
                    ["apiVersion"] = groupVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Interlocked.Read(ref _version).ToString() },
                    ["items"] = new JsonArray([.. List(groupVersion, resource.Plural, ns, http.Request.Query["labelSelector"], http.Request.Query["fieldSelector"]).Select(o => o.DeepClone())]),
                });
                return;
            case "PATCH" when name is not null:
                await PatchAsync(http, resource, ns, name);
                return;
            default:
                await Status(http, 405, "MethodNotAllowed", $"{http.Request.Method} is not supported by the stand-in");
                return;
        }
    }

    private async Task PatchAsync(HttpContext http, (string GroupVersion, string Plural, string Kind, bool Namespaced) resource, string? ns, string name)
    {
        if (resource.Namespaced && Get("v1", "namespaces", null, ns!) is null)
        {
            await Status(http, 404, "NotFound", $"namespaces \"{ns}\" not found");
            return;
        }

        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var type = http.Request.ContentType ?? string.Empty;
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
                    updated[key] = key == "metadata" ? Merge(updated[key]?.DeepClone(), value?.DeepClone()) : value?.DeepClone();
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

            var metadata = updated["metadata"] ??= new JsonObject();
            metadata["name"] = name;
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            metadata["resourceVersion"] = Interlocked.Increment(ref _version).ToString();
            updated["apiVersion"] = resource.GroupVersion;
            updated["kind"] = resource.Kind;
            var specChanged = existing is null || !JsonNode.DeepEquals(existing["spec"], updated["spec"]);
            metadata["generation"] = (existing?["metadata"]?["generation"]?.GetValue<long>() ?? 0) + (specChanged ? 1 : 0);
            _objects[Key(resource.GroupVersion, resource.Plural, ns, name)] = updated;
            if (resource.Kind == "Deployment")
            {
                Reconcile(updated, ns!);
            }

            result = updated;
        }

        http.Response.StatusCode = created ? 201 : 200;
    done:
        await Json(http, result, http.Response.StatusCode);
    }

    /// <summary>What the deployment controller does, at once: one ReplicaSet per pod template, revisions, a pod, status.</summary>
    private void Reconcile(JsonObject deployment, string ns)
    {
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        var uid = deployment["metadata"]!["uid"]!.GetValue<string>();
        var template = deployment["spec"]!["template"]!.AsObject();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString())))[..10];
        var owned = List("apps/v1", "replicasets", ns, null, null)
            .Where(rs => rs["metadata"]!["ownerReferences"]?[0]?["uid"]?.GetValue<string>() == uid).ToList();
        int Revision(JsonObject o) => int.Parse(o["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
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
                ["resourceVersion"] = Interlocked.Increment(ref _version).ToString(),
                ["labels"] = rsTemplate["metadata"]!["labels"]!.DeepClone(),
                ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = revision.ToString() },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = uid, ["controller"] = true }),
            },
            ["spec"] = new JsonObject { ["replicas"] = 1, ["selector"] = deployment["spec"]!["selector"]!.DeepClone(), ["template"] = rsTemplate },
        };
        _objects[Key("apps/v1", "replicasets", ns, rsName)] = replicaSet;
        ((deployment["metadata"]!["annotations"] ??= new JsonObject())["deployment.kubernetes.io/revision"]) = revision.ToString();

        var images = template["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.GetValue<string>()).ToList();
        var ready = images.All(IsReady);
        foreach (var stale in List("v1", "pods", ns, null, null).Where(p => p["metadata"]!["ownerReferences"]?[0]?["name"]?.GetValue<string>().StartsWith($"{name}-", StringComparison.Ordinal) == true).ToList())
        {
            _objects.TryRemove(Key("v1", "pods", ns, stale["metadata"]!["name"]!.GetValue<string>()), out _);
        }

        var podName = $"{rsName}-x7k2p";
        _objects[Key("v1", "pods", ns, podName)] = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = podName, ["namespace"] = ns, ["uid"] = Guid.NewGuid().ToString(),
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = rsName, ["uid"] = replicaSet["metadata"]!["uid"]!.DeepClone(), ["controller"] = true }),
                ["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["labels"] = rsTemplate["metadata"]!["labels"]!.DeepClone(),
            },
            ["spec"] = rsTemplate["spec"]!.DeepClone(),
            ["status"] = new JsonObject { ["phase"] = ready ? "Running" : "Pending" },
        };
        if (!ready)
        {
            var eventName = $"{podName}.failed";
            _objects[Key("v1", "events", ns, eventName)] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = eventName, ["namespace"] = ns },
                ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = podName, ["namespace"] = ns },
                ["reason"] = "Failed",
                ["message"] = $"Failed to pull image \"{images.First(i => !IsReady(i))}\": not found",
                ["type"] = "Warning",
                ["count"] = 3,
                ["lastTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            };
        }

        var replicas = deployment["spec"]!["replicas"]?.GetValue<int>() ?? 1;
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.GetValue<long>(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = ready ? replicas : 0,
            ["availableReplicas"] = ready ? replicas : 0,
            ["conditions"] = new JsonArray(ready
                ? new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }
                : new JsonObject { ["type"] = "Progressing", ["status"] = "False", ["reason"] = "ProgressDeadlineExceeded", ["message"] = $"ReplicaSet \"{rsName}\" has timed out progressing." }),
        };
    }

    private IEnumerable<JsonObject> List(string groupVersion, string plural, string? ns, string? labelSelector, string? fieldSelector)
    {
        var prefix = $"{groupVersion}/{plural}/";
        var labels = Pairs(labelSelector);
        var fields = Pairs(fieldSelector);
        return _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(o => o.Value)
            .Where(o => ns is null || o["metadata"]?["namespace"]?.GetValue<string>() == ns)
            .Where(o => labels.All(l => o["metadata"]?["labels"]?[l.Key]?.GetValue<string>() == l.Value))
            .Where(o => fields.All(f => f.Value == f.Key.Split('.').Aggregate((JsonNode?)o, (node, segment) => node?[segment])?.GetValue<string>()))
            .OrderBy(o => o["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
    }

    private static Dictionary<string, string> Pairs(string? selector) =>
        string.IsNullOrEmpty(selector)
            ? []
            : selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0].TrimEnd('='), p => p[1].TrimStart('='));

    /// <summary>RFC 7386 merge, plus strategic merge's one rule we need: lists of named objects (containers) merge by name.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is JsonArray patchList && target is JsonArray targetList && patchList.All(i => i?["name"] is not null) && targetList.All(i => i?["name"] is not null))
        {
            foreach (var item in patchList)
            {
                var match = targetList.FirstOrDefault(t => t!["name"]!.GetValue<string>() == item!["name"]!.GetValue<string>());
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

    private static string GroupVersionPath(string groupVersion) => groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";

    /// <summary>Just enough OpenAPI v3 for kubectl to see that PATCH supports server-side field validation.</summary>
    private static JsonObject OpenApi(string groupVersionPath)
    {
        var paths = new JsonObject();
        foreach (var r in Resources.Where(r => GroupVersionPath(r.GroupVersion) == groupVersionPath))
        {
            var group = r.GroupVersion.Contains('/') ? r.GroupVersion.Split('/')[0] : string.Empty;
            var version = r.GroupVersion.Split('/')[^1];
            var item = r.Namespaced ? $"{groupVersionPath}/namespaces/{{namespace}}/{r.Plural}/{{name}}" : $"{groupVersionPath}/{r.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{r.Kind}",
                    ["parameters"] = new JsonArray(new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = r.Kind },
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

    private static JsonObject StatusObject(int code, string reason, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
        ["message"] = message, ["reason"] = reason, ["code"] = code,
    };

    private static Task Status(HttpContext http, int code, string reason, string message) => Json(http, StatusObject(code, reason, message), code);

    private static async Task Json(HttpContext http, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
