namespace Pipeline.Testing;

/// <summary>The recorded outputs of the real DVC and MLflow tools, kept in <c>tests/fixtures/</c>.</summary>
public static class Fixtures
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures was not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    /// <summary>The repository root (the folder holding tests/).</summary>
    public static string RepositoryRoot => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", ".."));

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Copies a fixture folder, renaming <c>gitignore.txt</c> back to <c>.gitignore</c> and making every file writable.</summary>
    public static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(source, file);
            if (System.IO.Path.GetFileName(relative) == "gitignore.txt")
            {
                relative = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(relative)!, ".gitignore");
            }

            var target = System.IO.Path.Combine(destination, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            File.SetAttributes(target, FileAttributes.Normal);
        }
    }
}
