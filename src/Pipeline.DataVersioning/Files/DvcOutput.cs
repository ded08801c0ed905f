using Pipeline.DataVersioning.Hashing;
using YamlDotNet.RepresentationModel;

namespace Pipeline.DataVersioning.Files;

/// <summary>One entry of a .dvc file's <c>outs</c>, as a view over its YAML node so unknown keys survive.</summary>
public sealed class DvcOutput
{
    // DVC's Output.dumpd order: hash value, meta, the 3.x marker, path, annotations, flags.
    private static readonly string[] KeyOrder =
    [
        "md5",
        "size",
        "nfiles",
        "isexec",
        "version_id",
        "etag",
        "hash",
        "path",
        "desc",
        "type",
        "labels",
        "meta",
        "cache",
        "metric",
        "plot",
        "persist",
        "remote",
        "push",
    ];

    internal DvcOutput(DvcFile file, YamlMappingNode node, int line)
    {
        File = file;
        Node = node;
        Line = line;
        Path = Get("path") ?? throw new DvcException($"{file.Path}:{line}: an entry in 'outs' has no 'path'");
        if (Path.Contains('\\') || System.IO.Path.IsPathRooted(Path) || Path.Split('/').Contains(".."))
        {
            throw new DvcException(
                $"{file.Path}:{line}: path '{Path}' must be relative to the .dvc file's folder and stay inside the repository"
            );
        }
    }

    public DvcFile File { get; }

    internal YamlMappingNode Node { get; }

    /// <summary>The line the entry starts on, for messages.</summary>
    public int Line { get; }

    /// <summary>Relative to the .dvc file's folder, in POSIX form.</summary>
    public string Path { get; }

    public string WorkspacePath => System.IO.Path.GetFullPath(System.IO.Path.Combine(File.Directory, Path));

    /// <summary>Without <c>hash: md5</c> the output is DVC 2.x: its md5 is md5-dos2unix and it uses the legacy layout.</summary>
    public bool IsLegacy => Get("hash") is null;

    public ObjectId? Id
    {
        get
        {
            if (Get("md5") is not { } md5)
            {
                return null;
            }

            try
            {
                return ObjectId.Parse(md5, IsLegacy);
            }
            catch (FormatException ex)
            {
                throw new DvcException($"{File.Path}:{Line}: {ex.Message}");
            }
        }
    }

    public long? Size => long.TryParse(Get("size"), out var size) ? size : null;

    public int? FileCount => int.TryParse(Get("nfiles"), out var n) ? n : null;

    public string? RemoteName => Get("remote");

    /// <summary><c>cache: false</c> outputs are tracked by hash only and never stored or transferred.</summary>
    public bool IsCached => !string.Equals(Get("cache"), "false", StringComparison.OrdinalIgnoreCase);

    public bool ShouldPush => !string.Equals(Get("push"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Records a new 3.x hash: md5, size, nfiles (directories only) and <c>hash: md5</c>, in DVC's key order.</summary>
    public void SetHash(ObjectId id, long size, int? fileCount)
    {
        var values = new Dictionary<string, YamlNode>
        {
            ["md5"] = DvcYaml.Scalar(id.Value),
            ["size"] = DvcYaml.Scalar(size),
            ["hash"] = DvcYaml.Scalar("md5"),
        };
        if (fileCount is { } n)
        {
            values["nfiles"] = DvcYaml.Scalar(n);
        }

        var existing = Node.Children.ToList();
        Node.Children.Clear();
        var known = existing
            .Where(kv => KeyOrder.Contains(Key(kv.Key)) && !(Key(kv.Key) == "nfiles" && fileCount is null))
            .ToDictionary(kv => Key(kv.Key), kv => kv.Value);
        foreach (var (key, value) in values)
        {
            known[key] = value;
        }

        foreach (var key in KeyOrder.Where(known.ContainsKey))
        {
            Node.Children.Add(new YamlScalarNode(key), known[key]);
        }

        foreach (var (key, value) in existing.Where(kv => !KeyOrder.Contains(Key(kv.Key))))
        {
            Node.Children.Add(key, value);
        }
    }

    private string? Get(string key) =>
        Node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
            ? scalar.Value
            : null;

    private static string Key(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;
}
