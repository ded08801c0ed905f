using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tracking.FileStore;

/// <summary>
/// The YAML MLflow's FileStore writes with <c>yaml.dump(default_flow_style=False, sort_keys=True)</c>: keys sorted,
/// block style, strings quoted only when they would read back as something else. And a reader for those files.
/// </summary>
internal static partial class PyYaml
{
    public static string Dump(IEnumerable<KeyValuePair<string, object?>> values, int indent = 0)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(' ', indent).Append(key).Append(':');
            switch (value)
            {
                case IReadOnlyDictionary<string, string> { Count: 0 }:
                case IReadOnlyList<string> { Count: 0 }:
                    text.Append(value is IReadOnlyList<string> ? " []\n" : " {}\n");
                    break;
                case IReadOnlyDictionary<string, string> map:
                    text.Append('\n')
                        .Append(
                            Dump(map.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value)), indent + 2)
                        );
                    break;
                case IReadOnlyDictionary<string, object?> nested:
                    text.Append('\n').Append(Dump(nested, indent + 2));
                    break;
                case IReadOnlyList<string> list:
                    text.Append('\n');
                    foreach (var item in list)
                    {
                        text.Append(' ', indent).Append("- ").Append(Scalar(item)).Append('\n');
                    }

                    break;
                default:
                    text.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }

        return text.ToString();
    }

    public static string Scalar(object? value) =>
        value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            string s when s.Length == 0 => "''",
            string s when NeedsQuotes(s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
            string s => s,
            _ => Scalar(value.ToString()),
        };

    /// <summary>Reads a flat or nested mapping into strings (scalars) and dictionaries; null for YAML null.</summary>
    public static Dictionary<string, object?> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            ? []
            : Mapping(root);
    }

    private static Dictionary<string, object?> Mapping(YamlMappingNode node) =>
        node.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value!,
            kv =>
                kv.Value switch
                {
                    YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
                    YamlScalarNode scalar => scalar.Value,
                    YamlMappingNode mapping => (object?)Mapping(mapping),
                    YamlSequenceNode sequence => sequence
                        .Children.OfType<YamlScalarNode>()
                        .Select(s => s.Value ?? string.Empty)
                        .ToList(),
                    _ => null,
                }
        );

    private static bool NeedsQuotes(string s) =>
        LooksLikeOtherType().IsMatch(s) || Special().IsMatch(s) || s != s.Trim();

    [GeneratedRegex(
        @"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|[0-9]+(:[0-5]?[0-9])+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|\s+)?.*)$"
    )]
    private static partial Regex LooksLikeOtherType();

    [GeneratedRegex(@"^[-?:,\[\]{}#&*!|>'""%@`]|: | #|:$|[\x00-\x1f]")]
    private static partial Regex Special();
}
