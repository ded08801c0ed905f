using System.Globalization;

namespace Pipeline.Training;

/// <summary>The gate's verdict, with every failed rule spelled out in numbers.</summary>
public sealed record GateResult(bool Passed, IReadOnlyList<string> Failures, IReadOnlyList<string> Checks)
{
    public string Describe() =>
        Passed
            ? "Quality gate passed: " + string.Join("; ", Checks)
            : "Quality gate failed: " + string.Join("; ", Failures);
}

/// <summary>Decides whether a trained model may go on: floors first, then champion/challenger.</summary>
public static class QualityGate
{
    public static GateResult Evaluate(
        IReadOnlyDictionary<string, double> metrics,
        GateOptions options,
        Champion? champion
    )
    {
        var failures = new List<string>();
        var checks = new List<string>();
        foreach (var (metric, floor) in options.Floors.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!metrics.TryGetValue(metric, out var value))
            {
                failures.Add($"{metric} was not measured (floor {F(floor)})");
                continue;
            }

            var check = $"{metric} {F(value)} {(value >= floor ? ">=" : "<")} floor {F(floor)}";
            (value >= floor ? checks : failures).Add(check);
        }

        if (champion is { UnknownBecause: { } reason })
        {
            failures.Add(
                $"the champion is unknown ({reason}), so the challenger cannot be compared with it; "
                    + "fix the tracking server, or pass --allow-no-champion (gate.allow_no_champion) to train without the comparison"
            );
        }
        else if (
            champion is not null
            && champion.Metrics.TryGetValue(options.ChampionMetric, out var best)
            && metrics.TryGetValue(options.ChampionMetric, out var mine)
        )
        {
            var where = champion.Rescored ? "on the same evaluation rows" : "as logged in its own run";
            var check =
                $"{options.ChampionMetric} {F(mine)} vs champion {champion.Name} {F(best)} {where} (allowed drop {F(options.ChampionMargin)})";
            (mine >= best - options.ChampionMargin ? checks : failures).Add(check);
        }

        return new GateResult(failures.Count == 0, failures, checks);
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}

/// <summary>
/// The production model to beat: a label (registered version and run) and its metrics — re-scored on the challenger's
/// own evaluation rows (<see cref="Rescored"/>), or as its run logged them when it could not be re-scored. A champion
/// that could not be looked up at all (the registry unreachable) is <see cref="Unknown"/>: the gate fails closed on it.
/// </summary>
public sealed record Champion(string Name, IReadOnlyDictionary<string, double> Metrics, bool Rescored = false)
{
    public string? UnknownBecause { get; init; }

    public static Champion Unknown(string reason) =>
        new("unknown", new Dictionary<string, double>()) { UnknownBecause = reason };
}
