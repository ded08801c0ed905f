using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Tracking.Rest;

/// <summary>MLflow's wire shapes: ids and versions are strings, int64s are numbers, NaN and infinities are strings.</summary>
internal static class MlflowJson
{
    public static JsonArray KeyValues(IEnumerable<KeyValuePair<string, string>> pairs) =>
        [.. pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value })];

    public static JsonNode MetricValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : JsonValue.Create(value);

    public static JsonObject Metric(Metric metric) =>
        new()
        {
            ["key"] = metric.Key,
            ["value"] = MetricValue(metric.Value),
            ["timestamp"] = metric.Timestamp,
            ["step"] = metric.Step,
        };

    public static JsonObject Dataset(DatasetInput input)
    {
        var dataset = new JsonObject
        {
            ["name"] = input.Name,
            ["digest"] = input.Digest,
            ["source_type"] = input.SourceType,
            ["source"] = input.Source,
        };
        if (input.Schema is { } schema)
        {
            dataset["schema"] = schema;
        }

        if (input.Profile is { } profile)
        {
            dataset["profile"] = profile;
        }

        return dataset;
    }

    public static Experiment Experiment(JsonNode node) =>
        new(
            Str(node, "experiment_id"),
            Str(node, "name"),
            Str(node, "artifact_location"),
            Str(node, "lifecycle_stage"),
            Pairs(node["tags"])
        );

    public static RunInfo RunInfo(JsonNode node) =>
        new(
            Str(node, "run_id") is { Length: > 0 } id ? id : Str(node, "run_uuid"),
            Str(node, "experiment_id"),
            Str(node, "run_name"),
            RunStatuses.FromWire(Str(node, "status")),
            Long(node, "start_time") ?? 0,
            Long(node, "end_time"),
            Str(node, "artifact_uri"),
            Str(node, "lifecycle_stage"),
            Str(node, "user_id")
        );

    public static Run Run(JsonNode node)
    {
        var data = node["data"];
        var metrics = (data?["metrics"] as JsonArray ?? []).Select(m => Metric(m!)).ToDictionary(m => m.Key);
        return new Run(RunInfo(node["info"]!), metrics, Pairs(data?["params"]), Pairs(data?["tags"]));
    }

    public static Metric Metric(JsonNode node) =>
        new(Str(node, "key"), Double(node["value"]), Long(node, "timestamp") ?? 0, Long(node, "step") ?? 0);

    public static ModelVersion ModelVersion(JsonNode node) =>
        new(
            Str(node, "name"),
            Str(node, "version"),
            Str(node, "source"),
            node["run_id"]?.GetValue<string>(),
            Str(node, "status"),
            Long(node, "creation_timestamp") ?? 0,
            (node["aliases"] as JsonArray ?? []).Select(a => a!.GetValue<string>()).ToList(),
            Pairs(node["tags"])
        );

    public static RegisteredModel RegisteredModel(JsonNode node) =>
        new(
            Str(node, "name"),
            node["description"]?.GetValue<string>(),
            (node["aliases"] as JsonArray ?? []).ToDictionary(a => Str(a!, "alias"), a => Str(a!, "version")),
            Pairs(node["tags"])
        );

    public static string Str(JsonNode node, string key) => node[key] is { } value ? value.ToString() : string.Empty;

    public static long? Long(JsonNode node, string key) =>
        node[key] is { } value
            ? value.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? long.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)
                : value.GetValue<long>()
            : null;

    private static double Double(JsonNode? node) =>
        node?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? node.GetValue<string>() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var s => double.Parse(s, CultureInfo.InvariantCulture),
            }
            : node?.GetValue<double>() ?? double.NaN;

    private static Dictionary<string, string> Pairs(JsonNode? node) =>
        (node as JsonArray ?? []).ToDictionary(p => Str(p!, "key"), p => Str(p!, "value"));
}
