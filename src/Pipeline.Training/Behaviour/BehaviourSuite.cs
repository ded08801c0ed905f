using System.Globalization;
using System.Text.Json;

namespace Pipeline.Training.Behaviour;

/// <summary>How a model did on one capability of a <see cref="BehaviourSuite"/>.</summary>
public sealed record CapabilityResult(
    string Name,
    string Description,
    int Passed,
    int Total,
    IReadOnlyList<string> Failures
)
{
    public double Rate => Total == 0 ? 1 : (double)Passed / Total;

    /// <summary>The metric the rate is logged as and a gate floor names: <c>behaviour.&lt;capability&gt;</c>.</summary>
    public string Metric => BehaviourSuite.MetricName(Name);
}

/// <summary>
/// Behavioural tests of a binary text classifier, in the spirit of CheckList (Ribeiro et al. 2020), read from a
/// versioned JSON file: per capability, minimum-functionality cases (a text and the label it must get), invariance
/// cases (texts that must all get the same label: a changed name or title) and directional cases (an edit must move
/// the positive probability down, or up). Each capability's pass rate becomes a metric the quality gate can floor.
/// </summary>
public sealed class BehaviourSuite
{
    private readonly List<Capability> _capabilities;

    private BehaviourSuite(string name, int version, string source, List<Capability> capabilities)
    {
        Name = name;
        Version = version;
        Source = source;
        _capabilities = capabilities;
    }

    public string Name { get; }

    public int Version { get; }

    public string Source { get; }

    public IReadOnlyList<string> Capabilities => [.. _capabilities.Select(c => c.Name)];

    public static string MetricName(string capability) => "behaviour." + capability;

    public static BehaviourSuite Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
            );
        }
        catch (IOException ex)
        {
            throw new TrainingDataException($"behaviour: cannot read {path}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new TrainingDataException($"{path}:{(ex.LineNumber ?? 0) + 1}: not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var capabilities = new List<Capability>();
            if (!root.TryGetProperty("capabilities", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new TrainingDataException($"{path}: 'capabilities' must be a list.");
            }

            foreach (var (item, index) in list.EnumerateArray().Select((item, index) => (item, index)))
            {
                capabilities.Add(Capability.Parse(item, $"{path}: capabilities[{index}]"));
            }

            if (capabilities.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != capabilities.Count)
            {
                throw new TrainingDataException($"{path}: two capabilities have the same name.");
            }

            var name = root.TryGetProperty("suite", out var n) ? n.GetString() ?? "behaviour" : "behaviour";
            return root.TryGetProperty("version", out var version) && version.TryGetInt32(out var v)
                ? new BehaviourSuite(name, v, path, capabilities)
                : throw new TrainingDataException($"{path}: 'version' (a whole number) is required.");
        }
    }

    /// <summary>Runs every case; <paramref name="positiveProbability"/> scores a batch of texts.</summary>
    public IReadOnlyList<CapabilityResult> Run(Func<IReadOnlyList<string>, IReadOnlyList<double>> positiveProbability)
    {
        var texts = _capabilities.SelectMany(c => c.Texts).Distinct(StringComparer.Ordinal).ToList();
        var scores = positiveProbability(texts);
        var probability = texts
            .Select((t, i) => (t, scores[i]))
            .ToDictionary(p => p.t, p => p.Item2, StringComparer.Ordinal);
        return [.. _capabilities.Select(c => c.Run(probability))];
    }

    private sealed record Case(string Kind, IReadOnlyList<string> Texts, string Expected);

    private sealed record Capability(string Name, string Description, List<Case> Cases)
    {
        public IEnumerable<string> Texts => Cases.SelectMany(c => c.Texts);

        public static Capability Parse(JsonElement item, string where)
        {
            string Text(JsonElement element, string field, string at) =>
                element.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } text
                    ? text
                    : throw new TrainingDataException($"{at}.{field} is required.");
            var name = Text(item, "name", where);
            var cases = new List<Case>();
            foreach (var (kind, element, at) in Entries(item, where))
            {
                cases.Add(
                    kind switch
                    {
                        "expect" => new Case(
                            kind,
                            [Text(element, "text", at)],
                            OneOf(Text(element, "label", at), $"{at}.label", "positive", "negative")
                        ),
                        "invariant" => new Case(
                            kind,
                            element.TryGetProperty("texts", out var texts) && texts.GetArrayLength() >= 2
                                ? [.. texts.EnumerateArray().Select(t => t.GetString() ?? string.Empty)]
                                : throw new TrainingDataException($"{at}.texts must list at least two texts."),
                            string.Empty
                        ),
                        _ => new Case(
                            kind,
                            [Text(element, "base", at), Text(element, "changed", at)],
                            OneOf(Text(element, "direction", at), $"{at}.direction", "lower", "higher")
                        ),
                    }
                );
            }

            return cases.Count > 0
                ? new Capability(
                    name,
                    item.TryGetProperty("description", out var d) ? d.GetString() ?? name : name,
                    cases
                )
                : throw new TrainingDataException($"{where} ({name}) has no cases.");
        }

        private static string OneOf(string value, string field, string first, string second) =>
            value == first || value == second
                ? value
                : throw new TrainingDataException($"{field} must be {first} or {second}, not '{value}'.");

        private static IEnumerable<(string Kind, JsonElement Element, string At)> Entries(
            JsonElement item,
            string where
        )
        {
            foreach (var kind in new[] { "expect", "invariant", "directional" })
            {
                if (item.TryGetProperty(kind, out var list))
                {
                    foreach (var (element, index) in list.EnumerateArray().Select((e, i) => (e, i)))
                    {
                        yield return (kind, element, $"{where}.{kind}[{index}]");
                    }
                }
            }
        }

        public CapabilityResult Run(Dictionary<string, double> probability)
        {
            var failures = new List<string>();
            foreach (var @case in Cases)
            {
                var failure = @case.Kind switch
                {
                    "expect" => Label(probability[@case.Texts[0]]) == @case.Expected
                        ? null
                        : $"\"{@case.Texts[0]}\": expected {@case.Expected}, got {Label(probability[@case.Texts[0]])} ({P(probability[@case.Texts[0]])})",
                    "invariant" => @case.Texts.Select(t => Label(probability[t])).Distinct().Count() == 1
                        ? null
                        : "the answer changed with the name: "
                            + string.Join(
                                "; ",
                                @case.Texts.Select(t => $"\"{t}\" {Label(probability[t])} ({P(probability[t])})")
                            ),
                    _ => Moved(probability[@case.Texts[0]], probability[@case.Texts[1]], @case.Expected)
                        ? null
                        : $"\"{@case.Texts[1]}\" should be {@case.Expected} than \"{@case.Texts[0]}\": {P(probability[@case.Texts[1]])} vs {P(probability[@case.Texts[0]])}",
                };
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }

            return new CapabilityResult(Name, Description, Cases.Count - failures.Count, Cases.Count, failures);
        }

        private static string Label(double probability) => probability >= 0.5 ? "positive" : "negative";

        private static bool Moved(double before, double after, string direction) =>
            direction == "lower" ? after < before : after > before;

        private static string P(double probability) => probability.ToString("0.000", CultureInfo.InvariantCulture);
    }
}
