namespace Pipeline.Collection.Storage;

/// <summary>Picks the storage back end from a location: <c>s3://…</c>, or a folder.</summary>
public static class StorageFactory
{
    public static IObjectStorage Create(string location, string? endpoint, Func<string, string?> environment) =>
        location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
            ? new S3ObjectStorage(location, endpoint, environment)
            : new LocalObjectStorage(location);
}
