using System.Collections.Concurrent;
using System.Text;
using Pipeline.DataVersioning.Cache;
using Pipeline.DataVersioning.Files;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Remotes;

namespace Pipeline.DataVersioning.Operations;

public sealed record PushResult(int Pushed, int AlreadyOnRemote);

public sealed record FetchResult(int Fetched, long Bytes);

/// <summary>
/// Moves objects between the cache and remotes. Every downloaded object is re-hashed before it enters the
/// cache, whatever the remote's <c>verify</c> says; objects already in the cache (from an earlier, interrupted
/// run) are not fetched again; and every missing or corrupt object is reported together, by name.
/// </summary>
public sealed class DataTransfer(DvcRepository repository, TransferOptions options)
{
    public async Task<PushResult> PushAsync(
        IReadOnlyCollection<string>? targets,
        CancellationToken cancellationToken = default
    )
    {
        var outputs = repository.SelectOutputs(targets).Where(o => o.IsCached && o.ShouldPush).ToList();
        var pushed = 0;
        var present = 0;
        foreach (var group in outputs.GroupBy(o => o.RemoteName ?? options.RemoteName))
        {
            var uncached = group.Where(o => !repository.Cache.Contains(OutputObjects.RequireId(o))).ToList();
            var expanded = group.Except(uncached).Select(o => OutputObjects.Expand(repository, o)).ToList();
            var notInCache = uncached
                .Concat(expanded.Where(e => e.Files.Any(f => !repository.Cache.Contains(f.Id))).Select(e => e.Output))
                .Select(Display)
                .ToList();
            if (notInCache.Count > 0)
            {
                throw new DvcException(
                    $"PushDataset: not in the cache, so nothing can be pushed for: {string.Join(", ", notInCache)}. Run AddDataset (or PullDataset) for them first."
                );
            }

            using var remote = OpenRemote(group.Key, "PushDataset");
            if (!remote.CanWrite)
            {
                throw new DvcException($"PushDataset: remote {remote.Description} is read-only.");
            }

            // Files before manifests, so a manifest on the remote always means its files are there too.
            var objects = expanded.SelectMany(e => e.All).Distinct().OrderBy(id => id.IsDirectory).ToList();
            var missing = new ConcurrentBag<ObjectId>();
            await System.Threading.Tasks.Parallel.ForEachAsync(
                objects,
                Throttle(cancellationToken),
                async (id, ct) =>
                {
                    if (!await remote.ExistsAsync(id.RelativePath, ct))
                    {
                        missing.Add(id);
                    }
                }
            );

            var ordered = missing.OrderBy(id => id.IsDirectory).ToList();
            var progress = new TransferProgress(
                "Pushing",
                ordered.Count,
                ordered.Sum(id => new FileInfo(repository.Cache.PathOf(id)).Length),
                options.Log
            );
            foreach (var batch in ordered.GroupBy(id => id.IsDirectory))
            {
                await System.Threading.Tasks.Parallel.ForEachAsync(
                    batch,
                    Throttle(cancellationToken),
                    async (id, ct) =>
                    {
                        var path = repository.Cache.PathOf(id);
                        await remote.UploadAsync(id.RelativePath, path, ct);
                        progress.Completed(new FileInfo(path).Length);
                    }
                );
            }

            progress.Finish();
            pushed += ordered.Count;
            present += objects.Count - ordered.Count;
        }

        return new PushResult(pushed, present);
    }

    public async Task<FetchResult> FetchAsync(
        IReadOnlyList<DvcOutput> outputs,
        CancellationToken cancellationToken = default
    )
    {
        var problems = new FetchProblems();
        var fetched = 0;
        long bytes = 0;
        foreach (var group in outputs.Where(o => o.IsCached).GroupBy(o => o.RemoteName ?? options.RemoteName))
        {
            var owners = group.Select(o => (Output: o, Id: OutputObjects.RequireId(o))).ToList();
            var needed = owners.Where(o => !repository.Cache.Contains(o.Id)).ToList();
            var fileCount = owners.Sum(o => o.Output.FileCount ?? 1);
            if (
                needed.Count == 0
                && owners.All(o => !o.Id.IsDirectory || Expand(o.Output).All(f => repository.Cache.Contains(f.Id)))
            )
            {
                continue; // everything is already here: no remote needed
            }

            using var remote = OpenRemote(group.Key, "PullDataset");
            var progress = new TransferProgress("Fetching", fileCount, group.Sum(o => o.Size ?? 0), options.Log);

            // Manifests first: a directory's files are only known once its manifest is in the cache.
            await Download(
                remote,
                needed.Where(o => o.Id.IsDirectory).Select(o => (o.Id, Display(o.Output))),
                problems,
                progress,
                cancellationToken
            );
            var files = new List<(ObjectId Id, string Owner)>();
            foreach (var (output, id) in owners)
            {
                if (!id.IsDirectory)
                {
                    files.Add((id, Display(output)));
                }
                else if (repository.Cache.Contains(id))
                {
                    files.AddRange(Expand(output).Select(f => (f.Id, $"{Display(output)}/{f.RelativePath}")));
                }
            }

            await Download(
                remote,
                files.Where(f => !repository.Cache.Contains(f.Id)).DistinctBy(f => f.Id),
                problems,
                progress,
                cancellationToken
            );
            progress.Finish();
            fetched += progress.Files;
            bytes += progress.Bytes;
        }

        problems.ThrowIfAny();
        return new FetchResult(fetched, bytes);
    }

    /// <summary>An output as users name it: its path from the repository root.</summary>
    private string Display(DvcOutput output) => repository.RelativePath(output.WorkspacePath);

    private IReadOnlyList<(ObjectId Id, string RelativePath, long? Size)> Expand(DvcOutput output) =>
        OutputObjects.Expand(repository, output).Files;

    private async Task Download(
        IDvcRemote remote,
        IEnumerable<(ObjectId Id, string Owner)> objects,
        FetchProblems problems,
        TransferProgress progress,
        CancellationToken cancellationToken
    ) =>
        await System.Threading.Tasks.Parallel.ForEachAsync(
            objects,
            Throttle(cancellationToken),
            async (item, ct) =>
            {
                try
                {
                    await repository.Cache.InsertVerifiedAsync(
                        item.Id,
                        temp => remote.DownloadAsync(item.Id.RelativePath, temp, ct),
                        remote.Description
                    );
                    progress.Completed(new FileInfo(repository.Cache.PathOf(item.Id)).Length);
                }
                catch (ObjectMissingException)
                {
                    problems.Missing.Add((item.Id, item.Owner, remote.Description));
                }
                catch (CorruptObjectException ex)
                {
                    problems.Corrupt.Add((ex, item.Owner));
                }
            }
        );

    private IDvcRemote OpenRemote(string? name, string stage) =>
        RemoteFactory.Create(
            repository.Config.ResolveRemote(name, $"{stage} in {repository.Root}"),
            options.Environment
        );

    private ParallelOptions Throttle(CancellationToken cancellationToken) =>
        new()
        {
            MaxDegreeOfParallelism = options.Jobs ?? Math.Min(16, 4 * Environment.ProcessorCount),
            CancellationToken = cancellationToken,
        };

    private sealed class FetchProblems
    {
        public ConcurrentBag<(ObjectId Id, string Owner, string Remote)> Missing { get; } = [];

        public ConcurrentBag<(CorruptObjectException Error, string Owner)> Corrupt { get; } = [];

        public void ThrowIfAny()
        {
            if (Missing.IsEmpty && Corrupt.IsEmpty)
            {
                return;
            }

            var text = new StringBuilder(
                "PullDataset: the data could not be fully restored, so the workspace was left unchanged."
            );
            foreach (var (error, owner) in Corrupt.OrderBy(c => c.Owner, StringComparer.Ordinal))
            {
                text.Append('\n')
                    .Append(
                        $"Corrupt: {owner}: object {error.Id.Value} from remote {error.Remote} hashes to md5 {error.ActualMd5}, expected {error.Id.Md5}. It was not put in the cache."
                    );
            }

            if (!Missing.IsEmpty)
            {
                text.Append("\nMissing cache files (neither in the cache nor on the remote):");
                foreach (var (id, owner, remote) in Missing.OrderBy(m => m.Id.Value, StringComparer.Ordinal))
                {
                    text.Append('\n').Append($"md5: {id.Value} ({owner}, remote {remote})");
                }
            }

            throw new DvcException(text.ToString());
        }
    }
}
