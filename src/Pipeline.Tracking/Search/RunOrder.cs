namespace Pipeline.Tracking.Search;

/// <summary>MLflow's <c>order_by</c>: <c>metrics.x DESC</c>, <c>attributes.start_time</c>…, then start time (newest first) and run id.</summary>
internal static class RunOrder
{
    public static IEnumerable<Run> Apply(IEnumerable<Run> runs, IReadOnlyList<string>? orderBy)
    {
        IOrderedEnumerable<Run>? ordered = null;
        foreach (var clause in orderBy ?? [])
        {
            var parts = clause.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var descending = parts.Length > 1 && parts[^1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
            var field = parts[0];
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            var entity = dot > 0 ? field[..dot].ToLowerInvariant() : "attributes";
            var key = (dot > 0 ? field[(dot + 1)..] : field).Trim('`');
            if (entity is "metric" or "metrics")
            {
                // Runs without the metric come last in either direction, NaN after real values.
                Func<Run, int> missing = r =>
                    r.Metrics.TryGetValue(key, out var m)
                        ? double.IsNaN(m.Value)
                            ? 1
                            : 0
                        : 2;
                Func<Run, double> value = r =>
                    r.Metrics.TryGetValue(key, out var m) && !double.IsNaN(m.Value) ? m.Value : 0;
                ordered = ordered is null ? runs.OrderBy(missing) : ordered.ThenBy(missing);
                ordered = descending ? ordered.ThenByDescending(value) : ordered.ThenBy(value);
            }
            else
            {
                Func<Run, IComparable> selector = entity switch
                {
                    "param" or "params" => r => r.Params.GetValueOrDefault(key) ?? string.Empty,
                    "tag" or "tags" => r => r.Tags.GetValueOrDefault(key) ?? string.Empty,
                    _ => key switch
                    {
                        "end_time" => r => r.Info.EndTime ?? 0,
                        "run_name" => r => r.Info.RunName,
                        "status" => r => r.Info.Status.ToWire(),
                        _ => r => r.Info.StartTime,
                    },
                };
                ordered = ordered is null
                    ? descending
                        ? runs.OrderByDescending(selector)
                        : runs.OrderBy(selector)
                    : descending
                        ? ordered.ThenByDescending(selector)
                        : ordered.ThenBy(selector);
            }
        }

        return ordered is null
            ? runs.OrderByDescending(r => r.Info.StartTime).ThenBy(r => r.Info.RunId, StringComparer.Ordinal)
            : ordered.ThenByDescending(r => r.Info.StartTime).ThenBy(r => r.Info.RunId, StringComparer.Ordinal);
    }
}
