namespace Pipeline.Core.IO;

/// <summary>Paths as people name them in messages: relative to the folder they work in when inside it, else absolute.</summary>
public static class DisplayPath
{
    public static string Of(string fullPath, string root)
    {
        var relative = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
