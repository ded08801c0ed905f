using Pipeline.DataVersioning.Hashing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.DataVersioning.Files;

/// <summary>
/// One output: an entry of a .dvc file's <c>outs</c> or of a stage's <c>outs</c> in <c>dvc.lock</c>, as a view over
/// its YAML node so unknown keys survive a rewrite.
/// </summary>
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

    internal DvcOutput(string source, string baseDirectory, YamlMappingNode node, int line, string? stage = null)
    {
        Source = source;
        BaseDirectory = baseDirectory;
        Stage = stage;
        Node = node;
        Line = line;
        Path = Get("path") ?? throw new DvcException($"{source}:{line}: an entry in 'outs' has no 'path'");
        if (
            (System.IO.Path.DirectorySeparatorChar == '\\' && Path.Contains('\\'))
            || System.IO.Path.IsPathRooted(Path)
            || Path.Split('/').Contains("..")
        )
        {
            throw new DvcException(
                $"{source}:{line}: path '{Path}' must be relative to its file's folder (a stage's wdir) and stay inside the repository"
            );
        }
    }

    /// <summary>The .dvc or dvc.lock file that records the output.</summary>
    public string Source { get; }

    /// <summary>The folder <see cref="Path"/> is relative to: the .dvc file's, or the stage's working folder.</summary>
    public string BaseDirectory { get; }

    /// <summary>The <c>dvc.lock</c> stage that produces the output; null for a .dvc file's output.</summary>
    public string? Stage { get; }

    internal YamlMappingNode Node { get; }

    /// <summary>The line the entry starts on, for messages.</summary>
    public int Line { get; }

    /// <summary>Relative to <see cref="BaseDirectory"/>, in POSIX form.</summary>
    public string Path { get; }

    public string WorkspacePath =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(BaseDirectory, PosixPath.ToNative(Path)));

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
                throw new DvcException($"{Source}:{Line}: {ex.Message}");
            }
        }
    }

    public long? Size => long.TryParse(Get("size"), out var size) ? size : null;

    public int? FileCount => int.TryParse(Get("nfiles"), out var n) ? n : null;

    public string? RemoteName => Get("remote");

    /// <summary><c>cache: false</c> outputs are tracked by hash only and never stored or transferred.</summary>
    public bool IsCached => !string.Equals(Get("cache"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>isexec: true</c>: a single file that had its execute bit set when it was added.</summary>
    public bool IsExecutable => string.Equals(Get("isexec"), "true", StringComparison.OrdinalIgnoreCase);

    public bool ShouldPush => !string.Equals(Get("push"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Records a new hash in DVC's key order: md5, size, nfiles (folders), isexec (executable files) and, for a 3.x
    /// output, <c>hash: md5</c>. A legacy id keeps the output 2.x (no <c>hash</c> key). Key nodes that stay are
    /// reused, so comments on them survive.
    /// </summary>
    public void SetHash(ObjectId id, long size, int? fileCount, bool executable = false)
    {
        var values = new Dictionary<string, YamlNode>
        {
            ["md5"] = DvcYaml.Scalar(id.Value),
            ["size"] = DvcYaml.Scalar(size),
        };
        if (!id.Legacy)
        {
            values["hash"] = DvcYaml.Scalar("md5");
        }

        if (fileCount is { } n)
        {
            values["nfiles"] = DvcYaml.Scalar(n);
        }

        if (executable)
        {
            values["isexec"] = new YamlScalarNode("true") { Style = ScalarStyle.Plain };
        }

        var dropped = new HashSet<string>(StringComparer.Ordinal) { "nfiles", "isexec", "hash" };
        dropped.ExceptWith(values.Keys);
        var existing = Node.Children.ToList();
        Node.Children.Clear();
        var known = existing
            .Where(kv => KeyOrder.Contains(Key(kv.Key)) && !dropped.Contains(Key(kv.Key)))
            .ToDictionary(kv => Key(kv.Key), kv => (Key: kv.Key, kv.Value));
        foreach (var (key, value) in values)
        {
            known[key] = (known.TryGetValue(key, out var old) ? old.Key : new YamlScalarNode(key), value);
        }

        foreach (var key in KeyOrder.Where(known.ContainsKey))
        {
            Node.Children.Add(known[key].Key, known[key].Value);
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
