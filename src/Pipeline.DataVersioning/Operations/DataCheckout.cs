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
/// Writes outputs from the cache into the workspace. Nothing is written unless every object of every output
/// is in the cache; each file goes to a temp file first and is renamed over the target; and a workspace
/// change that is not in the cache is never overwritten without <see cref="TransferOptions.Force"/>.
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

        var writes = plan.SelectMany(p => Targets(p)).Where(t => !Matches(t.Path, t.Id)).ToList();
        var unsaved = writes
            .Where(t =>
                File.Exists(t.Path) && !repository.Cache.Contains(WorkspaceHasher.HashFile(t.Path, t.Id.Legacy))
            )
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
            var targets = Targets(output).ToList();
            var pending = writes.Where(w => targets.Contains(w)).ToList();
            if (pending.Count == 0)
            {
                continue;
            }

            var existed = output.Id.IsDirectory
                ? Directory.Exists(output.Output.WorkspacePath)
                : File.Exists(output.Output.WorkspacePath);
            foreach (var (path, id) in pending)
            {
                Materialize(repository.Cache.PathOf(id), path);
            }

            var display =
                repository.RelativePath(output.Output.WorkspacePath) + (output.Id.IsDirectory ? "/" : string.Empty);
            changes.Add(new CheckoutChange(existed ? 'M' : 'A', display));
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
                (
                    Path.Combine(output.Output.WorkspacePath, f.RelativePath.Replace('/', Path.DirectorySeparatorChar)),
                    f.Id
                )
            )
            : [(output.Output.WorkspacePath, output.Id)];

    private static bool Matches(string path, ObjectId id) =>
        File.Exists(path) && WorkspaceHasher.HashFile(path, id.Legacy).Md5 == id.Md5;

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
