using System.Collections.Concurrent;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Remotes;

namespace Pipeline.DataVersioning.Operations;

/// <summary>What is out of step for one output: <c>deleted</c>, <c>modified</c>, <c>not in cache</c> or <c>not on remote</c>.</summary>
public sealed record StatusEntry(string Path, string State);

/// <summary><c>dvc status</c> (workspace vs .dvc files vs cache) and <c>dvc status -c</c> (cache vs remote) in one report.</summary>
public static class DataStatus
{
    public static async Task<IReadOnlyList<StatusEntry>> CheckAsync(
        DvcRepository repository,
        IReadOnlyCollection<string>? targets,
        TransferOptions? remoteOptions,
        CancellationToken cancellationToken = default
    )
    {
        var entries = new List<StatusEntry>();
        var outputs = repository.SelectOutputs(targets);
        foreach (var output in outputs)
        {
            var id = OutputObjects.RequireId(output);
            var path = output.WorkspacePath;
            var exists = id.IsDirectory ? Directory.Exists(path) : File.Exists(path);
            if (!exists)
            {
                entries.Add(new StatusEntry(output.Path, "deleted"));
            }
            else
            {
                var actual = id.IsDirectory
                    ? WorkspaceHasher.HashDirectory(repository, path, id.Legacy).Id
                    : WorkspaceHasher.HashFile(path, id.Legacy);
                if (actual.Md5 != id.Md5)
                {
                    entries.Add(new StatusEntry(output.Path, "modified"));
                }
            }

            if (output.IsCached && !InCache(repository, id))
            {
                entries.Add(new StatusEntry(output.Path, "not in cache"));
            }
        }

        if (remoteOptions is not null)
        {
            foreach (
                var group in outputs
                    .Where(o => o.IsCached && o.ShouldPush && InCache(repository, o.Id!))
                    .GroupBy(o => o.RemoteName ?? remoteOptions.RemoteName)
            )
            {
                using var remote = RemoteFactory.Create(
                    repository.Config.ResolveRemote(group.Key, $"DatasetStatus in {repository.Root}"),
                    remoteOptions.Environment
                );
                var notPushed = new ConcurrentBag<string>();
                await Parallel.ForEachAsync(
                    group,
                    new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                    async (output, ct) =>
                    {
                        foreach (var id in OutputObjects.Expand(repository, output).All)
                        {
                            if (!await remote.ExistsAsync(id.RelativePath, ct))
                            {
                                notPushed.Add(output.Path);
                                return;
                            }
                        }
                    }
                );
                entries.AddRange(
                    notPushed.Order(StringComparer.Ordinal).Select(p => new StatusEntry(p, "not on remote"))
                );
            }
        }

        return entries;
    }

    private static bool InCache(DvcRepository repository, ObjectId id) =>
        repository.Cache.Contains(id)
        && (
            !id.IsDirectory
            || repository
                .Cache.ReadManifest(id)
                .Entries.All(e => repository.Cache.Contains(new ObjectId(e.Md5, false, id.Legacy)))
        );
}
