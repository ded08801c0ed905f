using System.Globalization;
using System.Net;
using System.Text;
using Pipeline.Core.IO;

namespace Pipeline.Training.Reports;

/// <summary>Counts of a binary classifier's decisions on the held-out rows.</summary>
public sealed record ConfusionMatrix(long TruePositive, long FalsePositive, long TrueNegative, long FalseNegative);

/// <summary>
/// The pictures people would rather look at than read: a ROC curve and a confusion matrix as SVG, and an HTML
/// page that shows them with the numbers. Plain SVG, no chart library, so the files open anywhere (MLflow's UI too).
/// </summary>
public static class BinaryClassificationReport
{
    public const string RocFile = "roc_curve.svg";
    public const string ConfusionFile = "confusion_matrix.svg";
    public const string HtmlFile = "report.html";
    public const string MetricsFile = "metrics.json";

    /// <summary>The ROC curve's points (false positive rate, true positive rate), from the highest score down.</summary>
    public static IReadOnlyList<(double Fpr, double Tpr)> RocCurve(IReadOnlyList<(bool Label, double Score)> scored)
    {
        var positives = scored.Count(s => s.Label);
        var negatives = scored.Count - positives;
        var points = new List<(double, double)> { (0, 0) };
        if (positives == 0 || negatives == 0)
        {
            return [(0, 0), (1, 1)];
        }

        long tp = 0,
            fp = 0;
        foreach (var group in scored.OrderByDescending(s => s.Score).GroupBy(s => s.Score))
        {
            foreach (var (label, _) in group)
            {
                if (label)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            points.Add(((double)fp / negatives, (double)tp / positives));
        }

        return points;
    }

    /// <summary>Writes the SVGs, metrics.json and report.html into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(
        string directory,
        string title,
        IReadOnlyDictionary<string, double> metrics,
        IReadOnlyList<(double Fpr, double Tpr)> roc,
        ConfusionMatrix confusion,
        IReadOnlyDictionary<string, string> parameters,
        DatasetSummary dataset,
        IReadOnlyList<Behaviour.CapabilityResult>? behaviour = null
    )
    {
        Directory.CreateDirectory(directory);
        var files = new[] { RocFile, ConfusionFile, MetricsFile, HtmlFile }
            .Select(f => Path.Combine(directory, f))
            .ToArray();
        AtomicFile.WriteAllText(files[0], RocSvg(roc, metrics.GetValueOrDefault("auc")));
        AtomicFile.WriteAllText(files[1], ConfusionSvg(confusion));
        JsonFile.Write(files[2], metrics.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary());
        AtomicFile.WriteAllText(files[3], Html(title, metrics, confusion, parameters, dataset, behaviour ?? []));
        return files;
    }

    public static string RocSvg(IReadOnlyList<(double Fpr, double Tpr)> roc, double auc)
    {
        const int Size = 320,
            Pad = 48;
        string X(double v) => (Pad + (v * Size)).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double v) => (Pad + Size - (v * Size)).ToString("0.#", CultureInfo.InvariantCulture);
        var path = string.Join(' ', Thin(roc, 400).Select((p, i) => $"{(i == 0 ? 'M' : 'L')}{X(p.Fpr)},{Y(p.Tpr)}"));
        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size + (2 * Pad)}\" height=\"{Size + (2 * Pad)}\" viewBox=\"0 0 {Size + (2 * Pad)} {Size + (2 * Pad)}\" font-family=\"sans-serif\" font-size=\"12\">"
        );
        svg.Append("<title>ROC curve</title><rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<rect x=\"{Pad}\" y=\"{Pad}\" width=\"{Size}\" height=\"{Size}\" fill=\"none\" stroke=\"#999\"/>"
        );
        foreach (var tick in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            var t = tick.ToString("0.##", CultureInfo.InvariantCulture);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{X(tick)}\" y=\"{Pad + Size + 16}\" text-anchor=\"middle\">{t}</text>"
            );
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{Pad - 6}\" y=\"{Y(tick)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{t}</text>"
            );
        }

        svg.Append(
            CultureInfo.InvariantCulture,
            $"<line x1=\"{X(0)}\" y1=\"{Y(0)}\" x2=\"{X(1)}\" y2=\"{Y(1)}\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>"
        );
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<path d=\"{path}\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>"
        );
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{Pad + (Size / 2)}\" y=\"{Pad - 16}\" text-anchor=\"middle\" font-size=\"14\">ROC curve (AUC {auc:0.0000})</text>"
        );
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{Pad + (Size / 2)}\" y=\"{Pad + Size + 36}\" text-anchor=\"middle\">False positive rate</text>"
        );
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"14\" y=\"{Pad + (Size / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Pad + (Size / 2)})\">True positive rate</text>"
        );
        return svg.Append("</svg>\n").ToString();
    }

    public static string ConfusionSvg(ConfusionMatrix m)
    {
        var cells = new[,]
        {
            { m.TrueNegative, m.FalsePositive },
            { m.FalseNegative, m.TruePositive },
        };
        var max = Math.Max(1, new[] { m.TrueNegative, m.FalsePositive, m.FalseNegative, m.TruePositive }.Max());
        const int Cell = 120,
            Left = 110,
            Top = 70;
        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Left + (2 * Cell) + 20}\" height=\"{Top + (2 * Cell) + 50}\" font-family=\"sans-serif\" font-size=\"13\">"
        );
        svg.Append("<title>Confusion matrix</title><rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{Left + Cell}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">Confusion matrix</text>"
        );
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{Left + Cell}\" y=\"{Top - 26}\" text-anchor=\"middle\">Predicted</text>"
        );
        string[] labels = ["negative", "positive"];
        for (var c = 0; c < 2; c++)
        {
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{Left + (c * Cell) + (Cell / 2)}\" y=\"{Top - 8}\" text-anchor=\"middle\">{labels[c]}</text>"
            );
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{Left - 8}\" y=\"{Top + (c * Cell) + (Cell / 2)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{labels[c]}</text>"
            );
        }

        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"16\" y=\"{Top + Cell}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Top + Cell})\">Actual</text>"
        );
        for (var r = 0; r < 2; r++)
        {
            for (var c = 0; c < 2; c++)
            {
                var share = (double)cells[r, c] / max;
                var correct = r == c;
                var fill = correct
                    ? $"rgba(31,136,61,{0.15 + (0.7 * share):0.00})"
                    : $"rgba(207,34,46,{0.15 + (0.7 * share):0.00})";
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"<rect x=\"{Left + (c * Cell)}\" y=\"{Top + (r * Cell)}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{fill}\" stroke=\"white\" stroke-width=\"2\"/>"
                );
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"<text x=\"{Left + (c * Cell) + (Cell / 2)}\" y=\"{Top + (r * Cell) + (Cell / 2)}\" text-anchor=\"middle\" dominant-baseline=\"middle\" font-size=\"22\">{cells[r, c]}</text>"
                );
            }
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Html(
        string title,
        IReadOnlyDictionary<string, double> metrics,
        ConfusionMatrix confusion,
        IReadOnlyDictionary<string, string> parameters,
        DatasetSummary dataset,
        IReadOnlyList<Behaviour.CapabilityResult> behaviour
    )
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var behaviourRows = string.Concat(
            behaviour.Select(c =>
                $"<tr><th>{E(c.Name)}</th><td>{E(c.Description)}</td><td>{c.Passed} / {c.Total}</td><td>{c.Rate.ToString("P0", CultureInfo.InvariantCulture)}</td>"
                + $"<td>{string.Join("<br>", c.Failures.Take(5).Select(E))}</td></tr>"
            )
        );
        var behaviourSection =
            behaviour.Count == 0
                ? string.Empty
                : $"<h2>Behaviour</h2><table><tr><th>capability</th><th>what it checks</th><th>passed</th><th>rate</th><th>first failures</th></tr>{behaviourRows}</table>";
        var rows = string.Concat(
            metrics
                .OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m =>
                    $"<tr><th>{E(m.Key)}</th><td>{m.Value.ToString("0.0000", CultureInfo.InvariantCulture)}</td></tr>"
                )
        );
        var paramRows = string.Concat(
            parameters
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"<tr><th>{E(p.Key)}</th><td>{E(p.Value)}</td></tr>")
        );
        var malformed =
            dataset.Malformed.Count == 0
                ? "<p>No malformed rows.</p>"
                : $"<p>{dataset.Malformed.Count} malformed row(s) skipped:</p><ul>{string.Concat(dataset.Malformed.Take(50).Select(m => $"<li>{E(m)}</li>"))}</ul>";
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}}</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1f2328; }
              .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
              .charts img { max-width: 100%; border: 1px solid #d0d7de; border-radius: 6px; }
              table { border-collapse: collapse; margin: 1rem 0; }
              th, td { text-align: left; padding: .3rem .8rem; border-bottom: 1px solid #d0d7de; }
            </style>
            </head>
            <body>
            <h1>{{E(title)}}</h1>
            <p>Trained on <code>{{E(dataset.Path)}}</code> (md5 <code>{{E(
                dataset.Md5
            )}}</code>): {{dataset.Rows}} rows, {{dataset.TrainRows}} for training and {{dataset.TestRows}} held out.</p>
            <div class="charts">
            <img src="{{RocFile}}" alt="ROC curve">
            <img src="{{ConfusionFile}}" alt="Confusion matrix: {{confusion.TrueNegative}} true negatives, {{confusion.FalsePositive}} false positives, {{confusion.FalseNegative}} false negatives, {{confusion.TruePositive}} true positives">
            </div>
            <h2>Held-out metrics</h2>
            <p><code>log_loss</code> is the natural-log loss (as scikit-learn reports it); <code>behaviour.*</code> are pass rates.</p>
            <table>{{rows}}</table>
            {{behaviourSection}}
            <h2>Parameters</h2>
            <table>{{paramRows}}</table>
            <h2>Data quality</h2>
            {{malformed}}
            </body>
            </html>

            """;
    }

    // A few hundred points draw the same curve as tens of thousands.
    private static IEnumerable<(double Fpr, double Tpr)> Thin(IReadOnlyList<(double Fpr, double Tpr)> points, int max)
    {
        if (points.Count <= max)
        {
            return points;
        }

        var step = (double)points.Count / max;
        return Enumerable.Range(0, max).Select(i => points[(int)(i * step)]).Append(points[^1]);
    }
}
