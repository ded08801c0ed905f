using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.DataVersioning.Files;

/// <summary>Reads YAML into an ordered node tree and writes it back in DVC's style: block style, 2-space indent, list items not indented under their key.</summary>
internal static partial class DvcYaml
{
    public static YamlMappingNode LoadMapping(string text, string source)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            throw new DvcException($"{source}:{ex.Start.Line}: malformed YAML: {Inner(ex).Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections; it still knows where it stopped.
            throw new DvcException(
                $"{source}:{scanner.CurrentPosition.Line}: malformed YAML: an unterminated flow collection or scalar"
            );
        }

        if (stream.Documents.Count == 0)
        {
            return new YamlMappingNode();
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new DvcException(
                $"{source}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping at the top level"
            );
    }

    public static string Write(YamlMappingNode root, YamlComments? comments = null)
    {
        var text = new StringBuilder();
        new Writer(text, comments ?? YamlComments.None).Mapping(root, 0, firstLinePrefix: null);
        foreach (var comment in (comments ?? YamlComments.None).AtEnd)
        {
            text.Append(comment).Append('\n');
        }

        return text.ToString();
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlScalarNode Scalar(string value) =>
        new(value) { Style = NeedsQuoting(value) ? ScalarStyle.SingleQuoted : ScalarStyle.Any };

    public static YamlScalarNode Scalar(long value) =>
        new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    private sealed class Writer(StringBuilder text, YamlComments comments)
    {
        public void Mapping(YamlMappingNode mapping, int indent, string? firstLinePrefix)
        {
            var first = true;
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var startsItem = first && firstLinePrefix is not null;
                var prefix = startsItem ? firstLinePrefix! : new string(' ', indent);
                first = false;
                Leading(keyNode, startsItem ? indent - 2 : indent); // a list item's comments stand at its dash
                text.Append(prefix).Append(FormatScalar((YamlScalarNode)keyNode)).Append(':');
                switch (valueNode)
                {
                    case YamlScalarNode scalar:
                        text.Append(' ').Append(FormatScalar(scalar));
                        Inline(keyNode);
                        break;
                    case YamlSequenceNode { Children.Count: 0 }:
                        text.Append(" []");
                        Inline(keyNode);
                        break;
                    case YamlMappingNode { Children.Count: 0 }:
                        text.Append(" {}");
                        Inline(keyNode);
                        break;
                    case YamlSequenceNode sequence:
                        Inline(keyNode);
                        Sequence(sequence, indent);
                        break;
                    case YamlMappingNode child:
                        Inline(keyNode);
                        Mapping(child, indent + 2, firstLinePrefix: null);
                        break;
                }
            }
        }

        private void Sequence(YamlSequenceNode sequence, int indent)
        {
            foreach (var item in sequence.Children)
            {
                var dash = new string(' ', indent) + "- ";
                switch (item)
                {
                    case YamlMappingNode mapping when mapping.Children.Count > 0:
                        Mapping(mapping, indent + 2, firstLinePrefix: dash);
                        break;
                    case YamlScalarNode scalar:
                        Leading(scalar, indent);
                        text.Append(dash).Append(FormatScalar(scalar));
                        Inline(scalar);
                        break;
                    case YamlSequenceNode nested:
                        text.Append(dash.TrimEnd()).Append('\n');
                        Sequence(nested, indent + 2);
                        break;
                    default:
                        text.Append(dash).Append("{}\n");
                        break;
                }
            }
        }

        private void Leading(YamlNode node, int indent)
        {
            foreach (var comment in comments.Before(node))
            {
                text.Append(' ', indent).Append(comment).Append('\n');
            }
        }

        /// <summary>Ends the line, with the comment that stood at its end.</summary>
        private void Inline(YamlNode node)
        {
            if (comments.Beside(node) is { } comment)
            {
                text.Append(' ').Append(comment);
            }

            text.Append('\n');
        }
    }

    private static string FormatScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        return scalar.Style switch
        {
            ScalarStyle.SingleQuoted => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
            ScalarStyle.DoubleQuoted => "\""
                + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                + "\"",
            // Plain nodes were read plain or made plain on purpose (numbers), so they round-trip as written.
            ScalarStyle.Plain when value.Length > 0 => value,
            _ when value.Length > 0 && !NeedsQuoting(value) => value,
            _ when value.Length == 0 => "''",
            _ => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        };
    }

    /// <summary>True when a plain scalar would not read back as this string (a number, bool, null, or YAML syntax).</summary>
    private static bool NeedsQuoting(string value) =>
        value.Length == 0
        || NotPlainSafe().IsMatch(value)
        || ResolvesToNonString().IsMatch(value)
        || value != value.Trim();

    private static Exception Inner(Exception ex) => ex.InnerException is YamlException inner ? Inner(inner) : ex;

    [GeneratedRegex(@"^[-?:,\[\]{}#&*!|>'""%@`]|: |\s#|[\x00-\x1f]|:$")]
    private static partial Regex NotPlainSafe();

    [GeneratedRegex(
        @"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|0o[0-7]+)$"
    )]
    private static partial Regex ResolvesToNonString();
}
