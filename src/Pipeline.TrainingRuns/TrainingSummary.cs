using System.Globalization;
using System.Text;
using Pipeline.Training;

namespace Pipeline.TrainingRuns;

/// <summary>
/// The tables people read after a training, one text for the build's job summary and the training Job's log: every
/// metric beside the champion's (measured on the same rows), and the behaviour suite's pass rate per capability
/// against its floor.
/// </summary>
public static class TrainingSummary
{
    public static string Metrics(TrackedTrainingResult result)
    {
        var champion = result.Champion is { UnknownBecause: null } known ? known : null;
        var text = new StringBuilder();
        text.Append(
            champion is null
                ? "| metric | this model |\n|---|---:|\n"
                : $"| metric | this model | champion {champion.Name}{(champion.Rescored ? " (same rows)" : " (as logged)")} |\n|---|---:|---:|\n"
        );
        foreach (var (key, value) in result.Training.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            text.Append("| ").Append(key).Append(" | ").Append(F(value));
            if (champion is not null)
            {
                text.Append(" | ").Append(champion.Metrics.TryGetValue(key, out var theirs) ? F(theirs) : "—");
            }

            text.Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Empty when the config names no behaviour suite.</summary>
    public static string Behaviour(TrainingResult training, GateOptions gate)
    {
        if (training.Behaviour.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder("| capability | passed | rate | floor | |\n|---|---:|---:|---:|---|\n");
        foreach (var capability in training.Behaviour)
        {
            var floor = gate.Floors.TryGetValue(capability.Metric, out var f) ? f : (double?)null;
            text.Append(
                CultureInfo.InvariantCulture,
                $"| {capability.Name} | {capability.Passed}/{capability.Total} | {F(capability.Rate)} | {(floor is { } x ? F(x) : "—")} | {(floor is { } y && capability.Rate < y ? "**below floor**" : "ok")} |\n"
            );
        }

        return text.ToString();
    }

    private static string F(double value) =>
        double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "—";
}
