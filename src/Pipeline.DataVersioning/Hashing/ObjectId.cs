namespace Pipeline.DataVersioning.Hashing;

/// <summary>
/// A content address in DVC's object store: an md5, <c>.dir</c>-suffixed for a directory manifest.
/// Legacy (DVC 2.x) ids are md5-dos2unix values and live under a different root.
/// </summary>
public sealed record ObjectId(string Md5, bool IsDirectory, bool Legacy)
{
    public const string DirSuffix = ".dir";

    /// <summary>The id as a .dvc file and DVC's messages write it: <c>0a2b…077.dir</c>.</summary>
    public string Value => IsDirectory ? Md5 + DirSuffix : Md5;

    /// <summary>The object's path below a cache or remote root: <c>files/md5/xx/rest</c>, or <c>xx/rest</c> for legacy ids.</summary>
    public string RelativePath => (Legacy ? string.Empty : "files/md5/") + Value[..2] + "/" + Value[2..];

    public static ObjectId Parse(string value, bool legacy)
    {
        var lower = value.Trim().ToLowerInvariant();
        var isDir = lower.EndsWith(DirSuffix, StringComparison.Ordinal);
        var md5 = isDir ? lower[..^DirSuffix.Length] : lower;
        if (md5.Length != 32 || !md5.All(Uri.IsHexDigit))
        {
            throw new FormatException($"'{value}' is not an md5 object id");
        }

        return new ObjectId(md5, isDir, legacy);
    }

    public override string ToString() => Value;
}
