using Pipeline.Core.IO;
using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;

namespace Pipeline.DataVersioning.Operations;

/// <summary>One line of a checkout: <c>A</c> added or <c>M</c> modified, with the output's path (folders end in '/').</summary>
public sealed record CheckoutChange(char Kind, string Path)
{
    public override string ToString() => $"{Kind}       {Path}";
}

/// <summary>
/// Makes each output exactly the recorded version: files written from the cache and, in a folder, files the
/// version does not list removed, as DVC does. Nothing is written unless every object of every output is in the
/// cache; each file goes to a temp file first and is renamed over the target; temp files a killed run left are
/// cleared; and a workspace file whose content is not in the cache is never overwritten or removed without
/// <see cref="TransferOptions.Force"/>.
/// </summary>
public static class DataCheckout
{
    public static IReadOnlyList<CheckoutChange> Checkout(
        DvcRepository repository,
        IReadOnlyList<DvcOutput> outputs,
        bool force = false
    )
    {
        var plan = outputs.Where(o => o.IsCached).Select(o => Plan(repository, o)).ToList();
        var missing = plan.SelectMany(p => p.All).Where(id => !repository.Cache.Contains(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new DvcException(
                "Checkout: objects are missing from the cache, so the workspace was left unchanged:\n"
                    + string.Join('\n', missing.Select(id => $"md5: {id.Value}"))
                    + "\nRun PullDataset to fetch them."
            );
        }

        plan.ForEach(RemoveLeftoverTempFiles);
        var writes = plan.SelectMany(p => Targets(p)).Where(t => !Matches(t.Path, t.Id)).ToList();
        var removals = plan.SelectMany(p => Extras(repository, p)).ToList();
        var unsaved = writes
            .Where(t => File.Exists(t.Path))
            .Concat(removals)
            .Where(t => !repository.Cache.Contains(WorkspaceHasher.HashFile(t.Path, t.Id.Legacy)))
            .ToList();
        if (unsaved.Count > 0 && !force)
        {
            throw new DvcException(
                "Checkout: these workspace files have changes that are not in the cache and would be lost:\n"
                    + string.Join('\n', unsaved.Select(t => "  " + repository.RelativePath(t.Path)))
                    + "\nRecord them with AddDataset, move them away, or pass --force to overwrite them."
            );
        }

        var changes = new List<CheckoutChange>();
        foreach (var output in plan)
        {
            var root = output.Output.WorkspacePath;
            var pending = writes.Where(w => IsWithin(w.Path, output)).ToList();
            var redundant = removals.Where(r => IsWithin(r.Path, output)).ToList();
            if (pending.Count == 0 && redundant.Count == 0)
            {
                SetExecutable(output);
                continue;
            }

            var existed = output.Id.IsDirectory ? Directory.Exists(root) : File.Exists(root);
            redundant.ForEach(r => File.Delete(r.Path));
            pending.ForEach(w => Materialize(repository.Cache.PathOf(w.Id), w.Path));
            SetExecutable(output);
            if (output.Id.IsDirectory)
            {
                RemoveEmptyFolders(root);
            }

            changes.Add(
                new CheckoutChange(
                    existed ? 'M' : 'A',
                    repository.RelativePath(root) + (output.Id.IsDirectory ? "/" : string.Empty)
                )
            );
        }

        return changes;
    }

    private static OutputObjects Plan(DvcRepository repository, DvcOutput output)
    {
        var id = OutputObjects.RequireId(output);
        return id.IsDirectory && !repository.Cache.Contains(id)
            ? new OutputObjects(output, id, [])
            : OutputObjects.Expand(repository, output);
    }

    private static IEnumerable<(string Path, ObjectId Id)> Targets(OutputObjects output) =>
        output.Id.IsDirectory
            ? output.Files.Select(f =>
                (Path.Combine(output.Output.WorkspacePath, PosixPath.ToNative(f.RelativePath)), f.Id)
            )
            : [(output.Output.WorkspacePath, output.Id)];

    /// <summary>Files in a folder output that this version does not list (an object id is kept for hashing them alike).</summary>
    private static List<(string Path, ObjectId Id)> Extras(DvcRepository repository, OutputObjects output)
    {
        var root = output.Output.WorkspacePath;
        if (!output.Id.IsDirectory || !Directory.Exists(root))
        {
            return [];
        }

        var listed = output.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var hashAs = new ObjectId(output.Id.Md5, IsDirectory: false, output.Id.Legacy);
        return WorkspaceHasher
            .EnumerateFiles(repository, root)
            .Where(path => !listed.Contains(PosixPath.Relative(root, path)))
            .Select(path => (path, hashAs))
            .ToList();
    }

    private static bool IsWithin(string path, OutputObjects output) =>
        output.Id.IsDirectory
            ? path.StartsWith(output.Output.WorkspacePath + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            : path == output.Output.WorkspacePath;

    private static void RemoveLeftoverTempFiles(OutputObjects output)
    {
        var target = output.Output.WorkspacePath;
        var (folder, name, recurse) = output.Id.IsDirectory
            ? (target, (string?)null, SearchOption.AllDirectories)
            : (Path.GetDirectoryName(target)!, Path.GetFileName(target), SearchOption.TopDirectoryOnly);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp", recurse))
        {
            if (AtomicFile.IsTempFile(Path.GetFileName(file), name))
            {
                File.Delete(file);
            }
        }
    }

    private static void RemoveEmptyFolders(string root)
    {
        foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Reverse())
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
    }

    private static bool Matches(string path, ObjectId id) =>
        File.Exists(path) && WorkspaceHasher.HashFile(path, id.Legacy).Md5 == id.Md5;

    /// <summary>DVC's <c>isexec: true</c>: the file gets its execute bits back, which a copy from the cache drops.</summary>
    private static void SetExecutable(OutputObjects output)
    {
        var path = output.Output.WorkspacePath;
        if (output.Output.IsExecutable && !OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | Executable);
        }
    }

    private const UnixFileMode Executable =
        UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static void Materialize(string cachePath, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = AtomicFile.TempPathFor(target);
        try
        {
            File.Copy(cachePath, temp);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(
                    temp,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                );
            }
            else
            {
                File.SetAttributes(temp, FileAttributes.Normal);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
