using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Tracking.Search;

/// <summary>
/// MLflow's run filter grammar (<c>mlflow/utils/search_utils.py</c>): clauses <c>entity.key op value</c> joined by
/// <c>and</c>, for metrics, params, tags and attributes, with MLflow's own error messages.
/// </summary>
internal sealed partial class RunFilter
{
    private static readonly string[] NumericOperators = [">", ">=", "=", "!=", "<", "<="];
    private static readonly string[] StringOperators = ["=", "!=", "LIKE", "ILIKE"];
    private readonly List<Clause> _clauses;

    private RunFilter(List<Clause> clauses) => _clauses = clauses;

    public static RunFilter Parse(string? filter)
    {
        var clauses = new List<Clause>();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return new RunFilter(clauses);
        }

        var tokens = Tokenize(filter);
        var i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i].Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("Invalid clause(s) in filter string: 'or'");
            }

            if (i + 2 >= tokens.Count)
            {
                throw Invalid($"Invalid filter '{filter}'. Could not be parsed.");
            }

            var (entity, key) = SplitIdentifier(tokens[i]);
            var op = tokens[i + 1].ToUpperInvariant();
            var consumed = 3;
            if (op == "NOT" && i + 2 < tokens.Count && tokens[i + 2].Equals("IN", StringComparison.OrdinalIgnoreCase))
            {
                op = "NOT IN";
                consumed = 4;
            }

            var value = tokens[i + consumed - 1];
            clauses.Add(Build(entity, key, op, value));
            i += consumed;
            if (i < tokens.Count)
            {
                if (tokens[i].Equals("or", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid("Invalid clause(s) in filter string: 'or'");
                }

                if (!tokens[i].Equals("and", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid($"Invalid clause(s) in filter string: '{tokens[i]}'");
                }

                i++;
            }
        }

        return new RunFilter(clauses);
    }

    public bool Matches(Run run) => _clauses.All(c => c.Matches(run));

    private static Clause Build(string entity, string key, string op, string value)
    {
        switch (entity)
        {
            case "metrics":
                if (!NumericOperators.Contains(op))
                {
                    throw Invalid($"Invalid comparator '{op}' not one of '{{'>', '=', '!=', '<', '>=', '<='}}'");
                }

                var number = double.Parse(value, CultureInfo.InvariantCulture);
                return new Clause(run =>
                    run.Metrics.TryGetValue(key, out var m) && Compare(m.Value.CompareTo(number), op)
                );
            case "params" or "tags":
                var expected = Quoted(value);
                return new Clause(run =>
                    (entity == "params" ? run.Params : run.Tags).TryGetValue(key, out var actual)
                    && CompareString(actual, op, expected)
                );
            default:
                return Attribute(key, op, value);
        }
    }

    private static Clause Attribute(string key, string op, string value)
    {
        if (key is "start_time" or "end_time" or "created")
        {
            var when = long.Parse(value, CultureInfo.InvariantCulture);
            return new Clause(run =>
                (key == "end_time" ? run.Info.EndTime : run.Info.StartTime) is { } t && Compare(t.CompareTo(when), op)
            );
        }

        Func<Run, string> read = key switch
        {
            "run_id" => r => r.Info.RunId,
            "run_name" or "run name" => r => r.Info.RunName,
            "status" => r => r.Info.Status.ToWire(),
            "user_id" => r => r.Info.UserId,
            "artifact_uri" => r => r.Info.ArtifactUri,
            _ => throw Invalid(
                $"Invalid attribute key '{key}' specified. Valid keys are 'run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'start_time', 'end_time'"
            ),
        };
        if (op is "IN" or "NOT IN")
        {
            var options = ListValues().Matches(value).Select(m => m.Groups[2].Value).ToHashSet(StringComparer.Ordinal);
            return new Clause(r => options.Contains(read(r)) == (op == "IN"));
        }

        var expected = Quoted(value);
        return new Clause(r => CompareString(read(r), op, expected));
    }

    private static bool CompareString(string actual, string op, string expected) =>
        op switch
        {
            "=" => actual == expected,
            "!=" => actual != expected,
            "LIKE" => Like(expected, RegexOptions.None).IsMatch(actual),
            "ILIKE" => Like(expected, RegexOptions.IgnoreCase).IsMatch(actual),
            _ => throw Invalid($"Invalid comparator '{op}' not one of '{{'=', '!=', 'LIKE', 'ILIKE'}}'"),
        };

    private static bool Compare(int comparison, string op) =>
        op switch
        {
            ">" => comparison > 0,
            ">=" => comparison >= 0,
            "=" => comparison == 0,
            "!=" => comparison != 0,
            "<" => comparison < 0,
            "<=" => comparison <= 0,
            _ => false,
        };

    private static Regex Like(string pattern, RegexOptions options) =>
        new(
            "^"
                + Regex
                    .Escape(pattern)
                    .Replace("%", ".*", StringComparison.Ordinal)
                    .Replace("_", ".", StringComparison.Ordinal)
                + "$",
            options | RegexOptions.Singleline
        );

    private static string Quoted(string value) =>
        value.Length >= 2 && (value[0] is '\'' or '"') && value[^1] == value[0]
            ? value[1..^1]
            : throw Invalid(
                $"Parameter value is either not quoted or unidentified quote types used for string value {value}. Use either single or double quotes."
            );

    private static (string Entity, string Key) SplitIdentifier(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            throw Invalid($"Invalid identifier '{token}'");
        }

        var entity = token[..dot].ToLowerInvariant() switch
        {
            "metric" or "metrics" => "metrics",
            "param" or "params" or "parameter" or "parameters" => "params",
            "tag" or "tags" => "tags",
            "attribute" or "attributes" or "attr" or "run" => "attributes",
            var other => throw Invalid(
                $"Invalid entity type '{other}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"
            ),
        };
        var key = token[(dot + 1)..];
        return (entity, key.Length >= 2 && key[0] == '`' && key[^1] == '`' ? key[1..^1] : key);
    }

    private static List<string> Tokenize(string filter)
    {
        var tokens = Token().Matches(filter).Select(m => m.Value).ToList();
        var leftover = Token().Replace(filter, string.Empty).Trim();
        if (leftover.Length > 0)
        {
            throw Invalid($"Invalid filter '{filter}'. Could not be parsed.");
        }

        foreach (var token in tokens)
        {
            if (OperatorLike().IsMatch(token) && !NumericOperators.Contains(token))
            {
                throw Invalid($"Invalid comparator '{token}' not one of '{{'>', '=', '!=', '<', '>=', '<='}}'");
            }
        }

        return tokens;
    }

    private static TrackingException Invalid(string message) => new("INVALID_PARAMETER_VALUE", 400, message);

    [GeneratedRegex(
        @"\([^)]*\)|'(?:[^']|'')*'|""[^""]*""|[A-Za-z_]+\.`[^`]+`|[A-Za-z_][\w.\-/ ]*?(?=\s|[<>=!]|$)|[<>=!]+|-?[0-9.eE+-]+"
    )]
    private static partial Regex Token();

    [GeneratedRegex(@"^[<>=!]+$")]
    private static partial Regex OperatorLike();

    [GeneratedRegex(@"(['""])(.*?)\1")]
    private static partial Regex ListValues();

    private sealed record Clause(Func<Run, bool> Matches);
}
