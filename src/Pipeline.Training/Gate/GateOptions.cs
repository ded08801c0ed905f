using System.Text.Json;

namespace Pipeline.Training;

/// <summary>
/// The quality gate: floors every new model must reach, and how much worse than the production model
/// (the champion) a challenger may be on one metric before it is refused.
/// </summary>
/// <param name="AllowNoChampion">Train without the champion comparison when the champion cannot be looked up, instead of failing.</param>
public sealed record GateOptions(
    IReadOnlyDictionary<string, double> Floors,
    string ChampionMetric,
    double ChampionMargin,
    bool AllowNoChampion = false
)
{
    public static GateOptions Parse(JsonElement gate, string source)
    {
        var floors = new Dictionary<string, double>(StringComparer.Ordinal);
        var metric = "accuracy";
        var margin = 0.01;
        var allowNoChampion = false;
        if (gate.ValueKind == JsonValueKind.Object)
        {
            if (gate.TryGetProperty("floors", out var f))
            {
                foreach (var floor in f.EnumerateObject())
                {
                    floors[floor.Name] =
                        floor.Value.ValueKind == JsonValueKind.Number
                            ? floor.Value.GetDouble()
                            : throw new TrainingDataException($"{source}: gate.floors.{floor.Name} must be a number.");
                }
            }

            if (gate.TryGetProperty("champion_metric", out var m))
            {
                metric = m.GetString() ?? metric;
            }

            if (gate.TryGetProperty("champion_margin", out var g))
            {
                margin =
                    g.ValueKind == JsonValueKind.Number
                        ? g.GetDouble()
                        : throw new TrainingDataException($"{source}: gate.champion_margin must be a number.");
            }

            if (gate.TryGetProperty("allow_no_champion", out var a))
            {
                allowNoChampion = a.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new TrainingDataException($"{source}: gate.allow_no_champion must be true or false."),
                };
            }
        }

        return new GateOptions(floors, metric, margin, allowNoChampion);
    }
}
