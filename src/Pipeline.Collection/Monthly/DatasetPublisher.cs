using Pipeline.Collection.Storage;
using Pipeline.Core.IO;
using Pipeline.DataVersioning.Operations;

namespace Pipeline.Collection.Monthly;

/// <summary>Registers a monthly dataset as the next DVC-tracked version of a workspace file, so Train picks it up.</summary>
public static class DatasetPublisher
{
    public static async Task<AddResult> PublishAsync(
        IObjectStorage store,
        string kind,
        int year,
        int month,
        DvcRepository repository,
        string path,
        CancellationToken cancellationToken = default
    )
    {
        var key = DatasetKeys.Monthly(kind, year, month, "reviews.csv");
        if (await store.ReadAsync(DatasetKeys.Monthly(kind, year, month, "manifest.json"), cancellationToken) is null)
        {
            throw new InvalidOperationException(
                $"{store.Location}: there is no complete {kind} dataset for {year:0000}-{month:00}; run CreateMonthly first."
            );
        }

        var content = (await store.ReadAsync(key, cancellationToken))!;
        AtomicFile.WriteAllBytes(Path.Combine(repository.Root, path), content);
        return DataAdd.Add(repository, path);
    }
}
