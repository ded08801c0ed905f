namespace Sentiment.Api;

/// <summary>The service's settings (section <c>Sentiment</c>; environment variables <c>Sentiment__ModelPath</c> and so on).</summary>
public sealed class ApiOptions
{
    public const string Section = "Sentiment";

    /// <summary>The extracted model folder (model.zip, lineage.json); a PVC mount in Kubernetes.</summary>
    public string ModelPath { get; set; } = "artifacts/model";

    /// <summary>
    /// A model to start from when <see cref="ModelPath"/> holds none (the image's baked-in model, copied onto an empty
    /// PVC), so a first deploy is ready before the first continuous-training Job has written a model.
    /// </summary>
    public string? SeedModelPath { get; set; }

    public int MaxTextLength { get; set; } = 20_000;

    public int MaxBatchSize { get; set; } = 256;

    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A movie is "fresh" when at least this share of its reviews is positive.</summary>
    public double FreshThreshold { get; set; } = 0.6;

    /// <summary>Origins allowed to call the API from a browser; empty means none.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>PostgreSQL when set (Kubernetes); otherwise a SQLite file.</summary>
    public string? PostgresConnectionString { get; set; }

    public string SqlitePath { get; set; } = "artifacts/reviews.db";
}
