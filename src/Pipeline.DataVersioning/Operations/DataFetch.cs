using Pipeline.DataVersioning.Config;
using Pipeline.DataVersioning.Hashing;
using Pipeline.DataVersioning.Remotes;

namespace Pipeline.DataVersioning.Operations;

/// <summary>
/// Fetches one dataset version straight from a DVC remote by its md5 (what a <c>.dvc</c> file records), the way
/// <c>dvc pull</c> finds it there, and verifies it: the training Job in the cluster has no repository to pull from.
/// Every failure is a <see cref="DvcException"/> naming the remote and the object.
/// </summary>
public static class DataFetch
{
    public static async Task FetchAsync(
        string md5,
        string remoteUrl,
        string destination,
        Func<string, string?> environment,
        CancellationToken cancellationToken = default
    )
    {
        ObjectId id;
        try
        {
            id = ObjectId.Parse(md5, legacy: false);
        }
        catch (FormatException)
        {
            throw new DvcException($"'{md5}' is not an md5 (32 hex digits).");
        }

        if (id.IsDirectory)
        {
            throw new DvcException($"{md5} names a directory; the dataset is one CSV file.");
        }

        var staging = destination + $".fetch-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        try
        {
            using var remote = RemoteFactory.Create(
                new RemoteConfig(
                    "dataset",
                    remoteUrl,
                    new Dictionary<string, string>(),
                    Directory.GetCurrentDirectory()
                ),
                environment
            );
            await remote.DownloadAsync(id.RelativePath, staging, cancellationToken);
            var actual = ContentHasher.Md5(staging);
            if (actual != id.Md5)
            {
                throw new DvcException(
                    $"{remoteUrl}: {id.RelativePath} has md5 {actual}, not {id.Md5}; the remote copy is corrupt."
                );
            }

            File.Move(staging, destination, overwrite: true);
        }
        catch (ObjectMissingException)
        {
            throw new DvcException(
                $"{remoteUrl}: dataset {id.Md5} is not there ({id.RelativePath}); push it with `dvc push` or PushDataset."
            );
        }
        finally
        {
            File.Delete(staging);
        }
    }
}
