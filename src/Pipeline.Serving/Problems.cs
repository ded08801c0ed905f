namespace Pipeline.Serving;

/// <summary>
/// Every error the API answers, as an RFC 9457 problem (<c>application/problem+json</c>): a status, a title, a detail
/// saying what to change, and for a bad field its name in <c>field</c>. One place, so the OpenAPI document and the
/// answers agree.
/// </summary>
public static class Problems
{
    /// <summary>What a client waits before retrying a 503 or 429.</summary>
    public const int RetryAfterSeconds = 5;

    public static IResult Invalid(string detail, string? field = null) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static IResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "Not allowed without a credential", detail);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Not allowed", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Already done", detail);

    public static IResult TooLarge(string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);

    public static IResult UnsupportedMediaType(string? contentType) =>
        Problem(
            StatusCodes.Status415UnsupportedMediaType,
            "Unsupported media type",
            $"The body must be JSON sent as 'Content-Type: application/json', not {(string.IsNullOrEmpty(contentType) ? "without a Content-Type" : $"'{contentType}'")}."
        );

    public static IResult NotReady() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Model not loaded", "No model is loaded yet.");

    /// <summary>A problem body for a status Kestrel or the runtime decided (408, 400, 413 …), with the given detail.</summary>
    public static IResult Status(int status, string title, string detail) => Problem(status, title, detail);

    public static IResult Problem(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field }
        );
}
