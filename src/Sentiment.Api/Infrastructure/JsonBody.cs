using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// Reads a JSON request body and validates the text fields the API takes, answering every problem with an
/// RFC 7807 response (400, or 413 for sizes) instead of letting a binder throw a 500.
/// </summary>
public static class JsonBody
{
    /// <summary>
    /// The body as a parsed JSON object the caller disposes, or a problem. Read from the request's pipe into one
    /// array of the body's size: a per-request copy buffer was the largest allocation on the prediction path.
    /// </summary>
    public static async Task<(JsonDocument? Body, IResult? Problem)> ReadAsync(HttpRequest request, ApiOptions options)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            return (
                null,
                TooLarge(
                    $"The request body of {request.ContentLength} bytes exceeds the limit of {options.MaxRequestBodyBytes} bytes."
                )
            );
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            if (buffer.Length > options.MaxRequestBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                return (null, TooLarge($"The request body exceeds the limit of {options.MaxRequestBodyBytes} bytes."));
            }

            if (!read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End); // nothing consumed yet: wait for the rest
                continue;
            }

            var bytes = buffer.ToArray();
            reader.AdvanceTo(buffer.End);
            return Parse(bytes);
        }
    }

    private static (JsonDocument? Body, IResult? Problem) Parse(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return (null, Invalid("The request body is empty; send a JSON object."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            return (null, Invalid($"The request body is not valid JSON: {ex.Message}"));
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return (document, null);
        }

        document.Dispose();
        return (null, Invalid("The request body must be a JSON object."));
    }

    /// <summary>Reads the body and its required text field in one step; exactly one of the results is set.</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext context, string field)
    {
        var options = context.Options();
        var (body, problem) = await ReadAsync(context.Request, options);
        using (body)
        {
            return problem is not null ? (null, problem) : Text(body!.RootElement, field, options);
        }
    }

    /// <summary>A required, non-empty string no longer than the configured size.</summary>
    public static (string? Text, IResult? Problem) Text(JsonElement root, string field, ApiOptions options)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, Invalid($"'{field}' is required.", field));
        }

        return CheckText(value, field, options);
    }

    public static (string? Text, IResult? Problem) CheckText(JsonElement value, string field, ApiOptions options)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (
                null,
                Invalid($"'{field}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.", field)
            );
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, Invalid($"'{field}' must not be empty.", field));
        }

        return text.Length > options.MaxTextLength
            ? (null, TooLarge($"'{field}' has {text.Length} characters; the limit is {options.MaxTextLength}."))
            : (text, null);
    }

    public static IResult Invalid(string detail, string? field = null) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid request",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field }
        );

    public static IResult TooLarge(string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Request too large",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.14"
        );

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.5"
        );

    public static IResult NotReady() =>
        TypedResults.Problem(
            detail: "No model is loaded yet.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Model not loaded"
        );

    public static ApiOptions Options(this HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
}
