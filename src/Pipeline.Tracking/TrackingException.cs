namespace Pipeline.Tracking;

/// <summary>
/// A tracking failure. <see cref="ErrorCode"/> is MLflow's <c>error_code</c> (e.g. <c>RESOURCE_DOES_NOT_EXIST</c>)
/// when the server sent one; for an HTML error page or a transport failure it is null and the message says what came back.
/// </summary>
public sealed class TrackingException(string? errorCode, int statusCode, string message, Exception? inner = null)
    : Exception(errorCode is null ? message : $"{errorCode}: {message}", inner)
{
    public string? ErrorCode { get; } = errorCode;

    /// <summary>The HTTP status, or 0 when no response arrived.</summary>
    public int StatusCode { get; } = statusCode;

    public bool IsNotFound => ErrorCode is "RESOURCE_DOES_NOT_EXIST" or "NOT_FOUND";

    public bool IsAlreadyExists => ErrorCode is "RESOURCE_ALREADY_EXISTS" or "ALREADY_EXISTS";

    /// <summary>True when the server could not be reached at all, which is when a run falls back to the local store.</summary>
    public bool IsUnreachable => StatusCode == 0 && ErrorCode is null;
}
