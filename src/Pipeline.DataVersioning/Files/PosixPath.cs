namespace Pipeline.DataVersioning.Files;

/// <summary>
/// Relative paths in DVC's POSIX form. Only the platform's own separator becomes '/': on Linux a backslash is an
/// ordinary character of a file name, and DVC keeps it so.
/// </summary>
internal static class PosixPath
{
    public static string FromNative(string relativePath) =>
        Path.DirectorySeparatorChar == '/' ? relativePath : relativePath.Replace(Path.DirectorySeparatorChar, '/');

    public static string ToNative(string posixPath) =>
        Path.DirectorySeparatorChar == '/' ? posixPath : posixPath.Replace('/', Path.DirectorySeparatorChar);

    public static string Relative(string root, string fullPath) => FromNative(Path.GetRelativePath(root, fullPath));
}
