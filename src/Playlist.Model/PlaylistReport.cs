using System.Globalization;
using System.Net;
using System.Text;
using Pipeline.Core.IO;

namespace Playlist.Model;

/// <summary>The run's human-readable report: the metrics and the strongest rules, as one static HTML page.</summary>
internal static class PlaylistReport
{
    public static void Write(string path, IReadOnlyDictionary<string, double> metrics, RuleSet model, int topN)
    {
        var html = new StringBuilder(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Playlist recommender</title></head><body>"
        );
        html.Append("<h1>Playlist recommender</h1><table><tr><th>metric</th><th>value</th></tr>");
        foreach (var (key, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(key)}</td><td>{value:0.####}</td></tr>");
        }

        html.Append(
            CultureInfo.InvariantCulture,
            $"</table><h2>The 20 strongest rules (of {model.Rules.Count:N0})</h2>"
        );
        html.Append("<table><tr><th>if a playlist has</th><th>it also has</th><th>confidence</th><th>lift</th></tr>");
        foreach (var rule in model.Rules.OrderByDescending(r => r.Lift * r.Confidence).Take(20))
        {
            var left = string.Join(" + ", rule.Antecedent.Select(a => model.Tracks[a]));
            html.Append(
                CultureInfo.InvariantCulture,
                $"<tr><td>{Encode(left)}</td><td>{Encode(model.Tracks[rule.Consequent])}</td><td>{rule.Confidence:0.000}</td><td>{rule.Lift:0.0}</td></tr>"
            );
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><p>Recommendations list {topN} tracks.</p></body></html>");
        AtomicFile.WriteAllText(path, html.ToString());
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
