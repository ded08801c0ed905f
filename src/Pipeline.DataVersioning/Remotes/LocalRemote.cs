using Pipeline.Core.IO;

namespace Pipeline.DataVersioning.Remotes;

/// <summary>A folder remote. Unlike DVC, reading never re-hashes or deletes a remote object; verification happens on entry to the cache.</summary>
public sealed class LocalRemote(string name, string root) : IDvcRemote
{
    public string Name { get; } = name;

    public string Root { get; } = Path.GetFullPath(root);

    public string Description => $"'{Name}' ({Root})";

    public bool CanWrite => true;

    /// <summary>A folder that does not exist yet holds nothing; a push creates it, as DVC does.</summary>
    public Task<bool> ExistsAsync(string relativePath, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(relativePath)));

    public Task DownloadAsync(string relativePath, string destinationFile, CancellationToken cancellationToken)
    {
        EnsureReachable();
        var source = PathOf(relativePath);
        if (!File.Exists(source))
        {
            throw new ObjectMissingException(relativePath);
        }

        File.Copy(source, destinationFile, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destinationFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return Task.CompletedTask;
    }

    public Task UploadAsync(string relativePath, string sourceFile, CancellationToken cancellationToken)
    {
        var target = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = AtomicFile.TempPathFor(target);
        try
        {
            File.Copy(sourceFile, temp);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return Task.CompletedTask;
    }

    public void Dispose() { }

    private string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    private void EnsureReachable()
    {
        if (!Directory.Exists(Root))
        {
            throw new DvcException($"remote {Description} is unreachable: the folder does not exist");
        }
    }
}
