using System.Collections.Concurrent;
using Pipeline.Core.IO;
using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;

namespace Pipeline.DataVersioning.Operations;

/// <summary>A hashed workspace file: where it is, its path inside its directory output, md5 and size.</summary>
public sealed record HashedFile(string FullPath, string RelativePath, string Md5, long Size);

/// <summary>Hashes workspace outputs the way DVC does: files by content, folders through their <c>.dir</c> manifest.</summary>
internal static class WorkspaceHasher
{
    public static (ObjectId Id, long Size, IReadOnlyList<HashedFile> Files, DirManifest Manifest) HashDirectory(
        DvcRepository repository,
        string directory,
        bool legacy = false
    )
    {
        var paths = EnumerateFiles(repository, directory).ToList();
        var hashed = new ConcurrentBag<HashedFile>();
        Parallel.ForEach(
            paths,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            path =>
            {
                var md5 = legacy ? ContentHasher.Md5Dos2Unix(path) : ContentHasher.Md5(path);
                var relative = PosixPath.Relative(directory, path);
                hashed.Add(new HashedFile(path, relative, md5, new FileInfo(path).Length));
            }
        );

        var files = hashed.OrderBy(f => f.RelativePath, CodePointComparer.Instance).ToList();
        var manifest = new DirManifest(files.Select(f => new ManifestEntry(f.Md5, f.RelativePath)));
        return (manifest.Id(legacy), files.Sum(f => f.Size), files, manifest);
    }

    public static ObjectId HashFile(string path, bool legacy) =>
        new(legacy ? ContentHasher.Md5Dos2Unix(path) : ContentHasher.Md5(path), IsDirectory: false, legacy);

    /// <summary>
    /// The files of a directory output, skipping what .dvcignore ignores, the temp files a killed run of ours left
    /// (they are never data; checkout removes them), and never following links out.
    /// </summary>
    internal static IEnumerable<string> EnumerateFiles(DvcRepository repository, string directory)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = false,
        };
        foreach (var file in Directory.EnumerateFiles(directory, "*", options))
        {
            if (
                !AtomicFile.IsTempFile(Path.GetFileName(file))
                && !repository.Ignore.IsIgnored(repository.RelativePath(file), isDirectory: false)
            )
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(directory, "*", options))
        {
            if (
                Path.GetFileName(child) is ".dvc" or ".git"
                || repository.Ignore.IsIgnored(repository.RelativePath(child), isDirectory: true)
            )
            {
                continue;
            }

            foreach (var file in EnumerateFiles(repository, child))
            {
                yield return file;
            }
        }
    }
}
