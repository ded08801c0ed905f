using Pipeline.Data;
using Pipeline.Data.Config;
using Pipeline.Data.Hashing;
using Pipeline.Data.Remotes;
using Pipeline.Training;

namespace Pipeline.Trainer;

/// <summary>
/// Fetches one dataset version straight from a DVC remote by its md5 (what a <c>.dvc</c> file records), the way
/// <c>dvc pull</c> finds it there, and verifies it: the training Job in the cluster has no repository to pull from.
/// </summary>
public static class DatasetFetch
{
    public static async Task FetchAsync(string md5, string remoteUrl, string destination, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        ObjectId id;
        try
        {
            id = ObjectId.Parse(md5, legacy: false);
        }
        catch (FormatException)
        {
            throw new TrainingDataException($"--dataset-md5: '{md5}' is not an md5 (32 hex digits).");
        }

        if (id.IsDirectory)
        {
            throw new TrainingDataException($"--dataset-md5: {md5} names a directory; the dataset is one CSV file.");
        }

        var staging = destination + $".fetch-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        try
        {
            using var remote = RemoteFactory.Create(new RemoteConfig("dataset", remoteUrl, new Dictionary<string, string>(), Directory.GetCurrentDirectory()), environment);
            await remote.DownloadAsync(id.RelativePath, staging, cancellationToken);
            var actual = ContentHasher.Md5(staging);
            if (actual != id.Md5)
            {
                throw new TrainingDataException($"--dataset-remote {remoteUrl}: {id.RelativePath} has md5 {actual}, not {id.Md5}; the remote copy is corrupt.");
            }

            File.Move(staging, destination, overwrite: true);
        }
        catch (ObjectMissingException)
        {
            throw new TrainingDataException($"--dataset-remote {remoteUrl}: dataset {id.Md5} is not there ({id.RelativePath}); push it with `dvc push` or DataPush.");
        }
        catch (DvcException ex)
        {
            throw new TrainingDataException($"--dataset-remote {remoteUrl}: {ex.Message}");
        }
        finally
        {
            File.Delete(staging);
        }
    }
}
