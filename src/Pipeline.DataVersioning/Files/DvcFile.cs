using Pipeline.Core.IO;
using YamlDotNet.RepresentationModel;

namespace Pipeline.DataVersioning.Files;

/// <summary>A single-stage .dvc file. A rewrite keeps every key it does not know and every comment, where they were.</summary>
public sealed class DvcFile
{
    public const string Extension = ".dvc";

    private static readonly HashSet<string> TopLevelKeys =
    [
        "md5",
        "wdir",
        "deps",
        "outs",
        "frozen",
        "meta",
        "always_changed",
        "desc",
    ];

    private readonly YamlMappingNode _root;
    private readonly YamlComments _comments;
    private readonly YamlSequenceNode _outs;

    private DvcFile(string path, YamlMappingNode root, YamlComments comments)
    {
        _comments = comments;
        Path = System.IO.Path.GetFullPath(path);
        _root = root;
        if (!root.Children.TryGetValue(new YamlScalarNode("outs"), out var outs))
        {
            outs = new YamlSequenceNode();
            root.Children.Add(new YamlScalarNode("outs"), outs);
        }

        _outs = outs as YamlSequenceNode ?? throw new DvcException($"{Path}:{outs.Start.Line}: 'outs' must be a list");
        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!TopLevelKeys.Contains(name))
            {
                throw new DvcException(
                    $"{Path}:{key.Start.Line}: unknown top-level key '{name}' (allowed: {string.Join(", ", TopLevelKeys)})"
                );
            }
        }

        Outs = _outs
            .Children.Select(node =>
                node is YamlMappingNode mapping
                    ? new DvcOutput(Path, Directory, mapping, (int)node.Start.Line)
                    : throw new DvcException($"{Path}:{node.Start.Line}: each entry in 'outs' must be a mapping")
            )
            .ToList();
    }

    public string Path { get; }

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public IReadOnlyList<DvcOutput> Outs { get; private set; }

    public static DvcFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new DvcException($"{path}: cannot read: {ex.Message}", ex);
        }

        var root = DvcYaml.LoadMapping(text, System.IO.Path.GetFullPath(path));
        return new DvcFile(path, root, YamlComments.Read(text, root));
    }

    /// <summary>A .dvc file for one new output, not yet saved.</summary>
    public static DvcFile Create(string path, string outputPath)
    {
        var root = new YamlMappingNode();
        var outs = new YamlSequenceNode(new YamlMappingNode(new YamlScalarNode("path"), DvcYaml.Scalar(outputPath)));
        root.Children.Add(new YamlScalarNode("outs"), outs);
        return new DvcFile(path, root, YamlComments.None);
    }

    public string Serialize() => DvcYaml.Write(_root, _comments);

    public void Save() => AtomicFile.WriteAllText(Path, Serialize());
}
