using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// Reads a JSON request body and validates the text fields the API takes, answering every problem with an
/// RFC 7807 response (400, or 413 for sizes) instead of letting a binder throw a 500.
/// </summary>
public static class JsonBody
{
    public static async Task<(JsonElement Root, IResult? Problem)> ReadAsync(HttpRequest request, ApiOptions options)
    {
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            return (default, TooLarge($"The request body of {request.ContentLength} bytes exceeds the limit of {options.MaxRequestBodyBytes} bytes."));
        }

        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                if (limited.Length + read > options.MaxRequestBodyBytes)
                {
                    return (default, TooLarge($"The request body exceeds the limit of {options.MaxRequestBodyBytes} bytes."));
                }

                limited.Write(buffer, 0, read);
            }

            if (limited.Length == 0)
            {
                return (default, Invalid("The request body is empty; send a JSON object."));
            }

            using var document = JsonDocument.Parse(limited.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, Invalid("The request body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (default, Invalid($"The request body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>Reads the body and its required text field in one step; exactly one of the results is set.</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext context, string field)
    {
        var options = context.Options();
        var (root, problem) = await ReadAsync(context.Request, options);
        return problem is not null ? (null, problem) : Text(root, field, options);
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
            return (null, Invalid($"'{field}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.", field));
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
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static IResult TooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.14");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found",
            type: "https://tools.ietf.org/html/rfc9110#section-15.5.5");

    public static IResult NotReady() =>
        TypedResults.Problem(detail: "No model is loaded yet.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not loaded");

    public static ApiOptions Options(this HttpContext context) => context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
}
