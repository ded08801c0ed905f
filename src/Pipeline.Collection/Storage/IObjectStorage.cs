namespace Pipeline.Collection.Storage;

/// <summary>
/// Where datasets live: keys like <c>datasets/candidates/2026-11-23/reviews.csv</c>. Two back ends: an S3-compatible
/// bucket, and a local folder (the embedded default). Writes are whole: a reader never sees half an object.
/// </summary>
public interface IObjectStorage
{
    /// <summary>For messages: the folder or s3://bucket/prefix.</summary>
    string Location { get; }

    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default);

    Task WriteAsync(string key, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>Every key starting with <paramref name="prefix"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>The layout of the dataset store.</summary>
public static class DatasetKeys
{
    public const string Gold = "datasets/gold/";
    public const string Candidates = "datasets/candidates/";
    public const string Verified = "datasets/verified/";
    public const string Full = "datasets/full/";
    public const string Watermark = "metadata/collection-watermark.json";

    public static string Candidate(DateOnly day, string file) => $"{Candidates}{day:yyyy-MM-dd}/{file}";

    public static string Monthly(string kind, int year, int month, string file) =>
        $"datasets/{kind}/{year:0000}-{month:00}/{file}";
}
