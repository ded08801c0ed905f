using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;
using YamlDotNet.RepresentationModel;

namespace Pipeline.DataVersioning.Files;

/// <summary>
/// The comments of a YAML file, tied to the nodes they stand before or beside, so a rewrite puts them back where a
/// person wrote them (DVC's ruamel round-trip keeps them too). A comment before a key belongs to that key; one at a
/// line's end belongs to the line's key; the ones after the last key stay at the end.
/// </summary>
internal sealed class YamlComments
{
    private readonly Dictionary<YamlNode, List<string>> _leading = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<YamlNode, string> _inline = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _tail = [];

    public static readonly YamlComments None = new();

    public static YamlComments Read(string text, YamlMappingNode root)
    {
        var comments = new YamlComments();
        var anchors = new SortedList<long, YamlNode>();
        Collect(root, anchors);
        var lines = text.Split('\n');
        var scanner = new Scanner(new StringReader(text), skipComments: false);
        while (scanner.MoveNext())
        {
            if (scanner.Current is not Comment comment)
            {
                continue;
            }

            var line = comment.Start.Line;
            var raw = Raw(lines, comment);
            if (comment.IsInline && anchors.TryGetValue(line, out var onLine))
            {
                comments._inline[onLine] = raw;
                continue;
            }

            var next = anchors.Keys.FirstOrDefault(l => l > line);
            if (next == 0)
            {
                comments._tail.Add(raw);
            }
            else
            {
                var node = anchors[next];
                if (!comments._leading.TryGetValue(node, out var list))
                {
                    comments._leading[node] = list = [];
                }

                list.Add(raw);
            }
        }

        return comments;
    }

    public IEnumerable<string> Before(YamlNode node) =>
        _leading.TryGetValue(node, out var list) ? list : Enumerable.Empty<string>();

    public string? Beside(YamlNode node) => _inline.GetValueOrDefault(node);

    public IReadOnlyList<string> AtEnd => _tail;

    /// <summary>The comment as written, from its '#' (the scanner's value loses the spacing after it).</summary>
    private static string Raw(string[] lines, Comment comment)
    {
        var line = lines[(int)comment.Start.Line - 1].TrimEnd('\r', ' ', '\t');
        var hash = line.IndexOf('#', (int)comment.Start.Column - 1);
        return hash < 0 ? "#" + comment.Value : line[hash..];
    }

    /// <summary>The first key (or list scalar) on each line: what a comment on or above that line is about.</summary>
    private static void Collect(YamlNode node, SortedList<long, YamlNode> anchors)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    anchors.TryAdd(key.Start.Line, key);
                    Collect(value, anchors);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode)
                    {
                        anchors.TryAdd(item.Start.Line, item);
                    }

                    Collect(item, anchors);
                }

                break;
        }
    }
}
