using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;

namespace Pipeline.DataVersioning.Operations;

public sealed record AddResult(string DvcFilePath, ObjectId Id, long Size, int? FileCount);

/// <summary>
/// <c>dvc add</c>: hash the output, cache it, write its .dvc file and git-ignore it. A new file is 3.x; an existing
/// one keeps its format, comments and unknown keys.
/// </summary>
public static class DataAdd
{
    public static AddResult Add(DvcRepository repository, string path)
    {
        var full = Path.GetFullPath(Path.Combine(repository.Root, path)).TrimEnd(Path.DirectorySeparatorChar);
        var relative = repository.RelativePath(full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || relative.Split('/')[0] is ".dvc" or ".git")
        {
            throw new DvcException($"--path: '{path}' is outside the repository's data area ({repository.Root}).");
        }

        if (full.EndsWith(DvcFile.Extension, StringComparison.Ordinal))
        {
            throw new DvcException($"--path: '{path}' is a .dvc file; name the data it tracks instead.");
        }

        var dvcPath = full + DvcFile.Extension;
        var name = Path.GetFileName(full);
        var file = File.Exists(dvcPath) ? DvcFile.Load(dvcPath) : DvcFile.Create(dvcPath, name);
        if (file.Outs.Count != 1 || file.Outs[0].Path != name)
        {
            throw new DvcException($"{dvcPath}: expected exactly one output named '{name}' to update.");
        }

        // DVC 3 keeps a 2.x file 2.x (md5-dos2unix, legacy cache layout) until the user migrates it.
        var legacy = file.Outs[0].IsLegacy && file.Outs[0].Id is not null;
        ObjectId id;
        long size;
        int? fileCount = null;
        bool executable = false;
        if (Directory.Exists(full))
        {
            var (dirId, dirSize, files, manifest) = WorkspaceHasher.HashDirectory(repository, full, legacy);
            Parallel.ForEach(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                f => repository.Cache.AddFile(f.FullPath, new ObjectId(f.Md5, IsDirectory: false, legacy))
            );
            repository.Cache.AddBytes(dirId, manifest.Serialize());
            (id, size, fileCount) = (dirId, dirSize, files.Count);
        }
        else if (File.Exists(full))
        {
            id = WorkspaceHasher.HashFile(full, legacy);
            size = new FileInfo(full).Length;
            executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & UnixFileMode.UserExecute) != 0;
            repository.Cache.AddFile(full, id);
        }
        else
        {
            throw new DvcException($"--path: '{path}' does not exist in {repository.Root}.");
        }

        file.Outs[0].SetHash(id, size, fileCount, executable);
        file.Save();
        if (repository.IsGitWorkTree)
        {
            AddGitIgnoreEntry(Path.GetDirectoryName(full)!, "/" + name);
        }

        return new AddResult(dvcPath, id, size, fileCount);
    }

    private static void AddGitIgnoreEntry(string directory, string entry)
    {
        var gitignore = Path.Combine(directory, ".gitignore");
        var lines = File.Exists(gitignore) ? File.ReadAllLines(gitignore) : [];
        if (lines.Contains(entry))
        {
            return;
        }

        var existing = File.Exists(gitignore) ? File.ReadAllText(gitignore) : string.Empty;
        var separator = existing.Length > 0 && !existing.EndsWith('\n') ? "\n" : string.Empty;
        Pipeline.Core.IO.AtomicFile.WriteAllText(gitignore, existing + separator + entry + "\n");
    }
}
