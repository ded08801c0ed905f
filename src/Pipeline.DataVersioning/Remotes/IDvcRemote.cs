namespace Pipeline.DataVersioning.Remotes;

/// <summary>A DVC remote: objects at <c>&lt;url&gt;/files/md5/xx/…</c> (3.x) or <c>&lt;url&gt;/xx/…</c> (legacy).</summary>
public interface IDvcRemote : IDisposable
{
    string Name { get; }

    /// <summary>For messages: <c>'name' (url)</c>.</summary>
    string Description { get; }

    bool CanWrite { get; }

    Task<bool> ExistsAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>Writes the object to <paramref name="destinationFile"/>; throws <see cref="ObjectMissingException"/> when the remote lacks it.</summary>
    Task DownloadAsync(string relativePath, string destinationFile, CancellationToken cancellationToken);

    /// <summary>Stores a file so that a reader never sees it half-written.</summary>
    Task UploadAsync(string relativePath, string sourceFile, CancellationToken cancellationToken);
}

public sealed class ObjectMissingException(string relativePath) : Exception($"{relativePath} is not on the remote")
{
    public string RelativePath { get; } = relativePath;
}
