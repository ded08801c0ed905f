namespace Pipeline.Core.IO;

/// <summary>
/// Writes that never leave a half-written file behind: the content goes to a temporary file in the
/// same folder (so the rename stays on one file system), which then replaces the target in one step.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents) =>
        Write(
            path,
            stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                writer.Write(contents);
            }
        );

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = TempPathFor(full);
        try
        {
            await using (
                var stream = new FileStream(
                    temp,
                    FileMode.CreateNew,
                    FileAccess.Write,
                    FileShare.None,
                    81920,
                    useAsync: true
                )
            )
            {
                await write(stream);
                await stream.FlushAsync();
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>A hidden sibling of <paramref name="fullPath"/> that no other writer picks.</summary>
    public static string TempPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// True for a name <see cref="TempPathFor"/> makes (for <paramref name="targetName"/> only, when given): what a
    /// killed writer leaves behind, since a live one renames or deletes its temp file before it returns.
    /// </summary>
    public static bool IsTempFile(string fileName, string? targetName = null)
    {
        const int Suffix = 36; // 32 hex digits and ".tmp"
        if (
            fileName.Length < 3 + Suffix
            || fileName[0] != '.'
            || !fileName.EndsWith(".tmp", StringComparison.Ordinal)
            || fileName[^(Suffix + 1)] != '.'
            || fileName.AsSpan(fileName.Length - Suffix, 32).ContainsAnyExcept(HexDigits)
        )
        {
            return false;
        }

        return targetName is null || fileName.AsSpan(1, fileName.Length - Suffix - 2).SequenceEqual(targetName);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create(
        "0123456789abcdef"
    );
}
