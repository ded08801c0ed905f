using Pipeline.Core.IO;

namespace Pipeline.Collection.Storage;

/// <summary>A folder as object storage: keys are relative paths, writes go through a temp file and a rename.</summary>
public sealed class LocalObjectStorage(string root) : IObjectStorage
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Location => Root;

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default) =>
        File.Exists(PathOf(key)) ? await File.ReadAllBytesAsync(PathOf(key), cancellationToken) : null;

    public Task WriteAsync(string key, byte[] content, CancellationToken cancellationToken = default)
    {
        AtomicFile.WriteAllBytes(PathOf(key), content);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> keys = Directory.Exists(Root)
            ? Directory
                .EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(keys);
    }

    private string PathOf(string key) =>
        key.Split('/').Any(p => p is "" or "." or "..")
            ? throw new ArgumentException($"invalid key '{key}'")
            : Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
}
