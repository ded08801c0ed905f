using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipeline.DataVersioning.Hashing;

public sealed record ManifestEntry(string Md5, string RelativePath);

/// <summary>
/// A directory output's manifest, byte-compatible with dvc-data's <c>Tree.as_bytes</c>: a JSON list of
/// <c>{"md5", "relpath"}</c> sorted by relpath as Python sorts strings (by code point, not UTF-16 unit),
/// serialized as Python's <c>json.dumps(sort_keys=True)</c>: ", " and ": " separators, everything outside
/// printable ASCII (DEL included) as \uXXXX, no trailing newline.
/// </summary>
public sealed class DirManifest
{
    public DirManifest(IEnumerable<ManifestEntry> entries)
    {
        Entries = entries.OrderBy(e => e.RelativePath, CodePointComparer.Instance).ToList();
        foreach (var entry in Entries)
        {
            ValidateRelativePath(entry.RelativePath);
        }
    }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    public byte[] Serialize()
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < Entries.Count; i++)
        {
            if (i > 0)
            {
                json.Append(", ");
            }

            json.Append("{\"md5\": ");
            AppendPythonString(json, Entries[i].Md5);
            json.Append(", \"relpath\": ");
            AppendPythonString(json, Entries[i].RelativePath);
            json.Append('}');
        }

        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    public ObjectId Id(bool legacy = false) => new(ContentHasher.Md5(Serialize()), IsDirectory: true, legacy);

    /// <summary>Reads a manifest object; a relpath that escapes the directory is rejected.</summary>
    public static DirManifest Parse(ReadOnlySpan<byte> json, string source)
    {
        List<ManifestEntry> entries = [];
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var md5 = item.GetProperty("md5").GetString() ?? throw new FormatException("md5 is null");
                var relpath = item.GetProperty("relpath").GetString() ?? throw new FormatException("relpath is null");
                entries.Add(new ManifestEntry(md5.ToLowerInvariant(), relpath));
            }
        }
        catch (Exception ex)
            when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new DvcException($"{source}: not a valid .dir manifest: {ex.Message}");
        }

        try
        {
            return new DirManifest(entries);
        }
        catch (FormatException ex)
        {
            throw new DvcException($"{source}: {ex.Message}");
        }
    }

    private static void ValidateRelativePath(string relpath)
    {
        var segments = relpath.Split('/');
        if (
            relpath.Length == 0
            || relpath.StartsWith('/')
            || (Path.DirectorySeparatorChar == '\\' && relpath.Contains('\\'))
            || relpath.Contains('\0')
            || segments.Any(s => s is ".." or "." or "")
        )
        {
            throw new FormatException(
                $"manifest entry '{relpath}' is not a plain relative path inside the directory (path traversal refused)"
            );
        }
    }

    private static void AppendPythonString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                case '\b':
                    json.Append("\\b");
                    break;
                case '\f':
                    json.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        // ensure_ascii escapes all but ' '..'~': control characters, DEL and each UTF-16 unit above.
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
