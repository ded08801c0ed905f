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

    /// <summary>
    /// Keys whose holders may verify a review's label (<c>Authorization: Bearer &lt;key&gt;</c> on the feedback
    /// endpoint): only their labels reach the verified training set. From a Secret in Kubernetes; none by default.
    /// </summary>
    public string[] ModeratorKeys { get; set; } = [];

    /// <summary>Reviews and feedback one client (by address) may post a minute; more get 429.</summary>
    public int WritesPerMinute { get; set; } = 20;

    /// <summary>
    /// Proxies (CIDR networks, e.g. the ingress controller's) whose <c>X-Forwarded-For</c> is believed, so a client
    /// is known by its own address; empty means the connection's address is the client's.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// The port <c>/metrics</c> answers on, and nothing else does; not the API's port, so an ingress that routes the
    /// API never publishes metrics. 0 serves metrics on every port (for a laptop only).
    /// </summary>
    public int ManagementPort { get; set; } = 9090;

    /// <summary>The interactive API reference at <c>/docs</c> and the document at <c>/openapi/v1.json</c> (off in production).</summary>
    public bool ApiDocs { get; set; } = true;

    /// <summary>A request body must arrive at least this fast once the grace period is over, else 408.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    public double MinRequestBodyGraceSeconds { get; set; } = 5;

    /// <summary>Reviews a movie's page returns when the client asks for no number, and the most it may ask for.</summary>
    public int ReviewsPerPage { get; set; } = 20;

    public int MaxReviewsPerPage { get; set; } = 100;
}
