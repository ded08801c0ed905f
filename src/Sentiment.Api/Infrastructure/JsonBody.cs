using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// Reads a JSON request body and validates the text fields the API takes, answering every client mistake with a
/// problem (400, 408, 413, 415) instead of letting a binder or the transport throw a 500: the wrong media type, a
/// body Kestrel refused (too slow, shorter than its Content-Length, bad chunked framing, over the limit), text that is
/// not valid Unicode or that holds a NUL character no database column can store.
/// </summary>
public static class JsonBody
{
    /// <summary>
    /// The body as a parsed JSON object the caller disposes, or a problem. Read from the request's pipe into one
    /// array of the body's size: a per-request copy buffer was the largest allocation on the prediction path.
    /// </summary>
    public static async Task<(JsonDocument? Body, IResult? Problem)> ReadAsync(HttpRequest request, ApiOptions options)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            return (
                null,
                Problems.TooLarge(
                    $"The request body of {request.ContentLength} bytes exceeds the limit of {options.MaxRequestBodyBytes} bytes."
                )
            );
        }

        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync();
                var buffer = read.Buffer;
                if (buffer.Length > options.MaxRequestBodyBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    return (
                        null,
                        Problems.TooLarge($"The request body exceeds the limit of {options.MaxRequestBodyBytes} bytes.")
                    );
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
        catch (BadHttpRequestException ex)
        {
            // Kestrel's verdict on the transport: 408 too slow, 400 truncated or bad framing, 413 over its limit.
            return (null, Problems.Status(ex.StatusCode, "The request body could not be read", ex.Message));
        }
    }

    /// <summary><c>application/json</c> or a <c>+json</c> type, in UTF-8 (the only charset JSON allows on the wire).</summary>
    private static bool IsJson(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType.Value ?? string.Empty;
        var json =
            type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (
                type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            );
        var charset = media.Charset.Value;
        return json && (charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    private static (JsonDocument? Body, IResult? Problem) Parse(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return (null, Problems.Invalid("The request body is empty; send a JSON object."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid($"The request body is not valid JSON: {ex.Message}"));
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return (document, null);
        }

        document.Dispose();
        return (null, Problems.Invalid("The request body must be a JSON object."));
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
            return (null, Problems.Invalid($"'{field}' is required.", field));
        }

        return CheckText(value, field, options);
    }

    public static (string? Text, IResult? Problem) CheckText(JsonElement value, string field, ApiOptions options)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return (
                null,
                Problems.Invalid(
                    $"'{field}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.",
                    field
                )
            );
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Bytes that are not UTF-8 (invalid, overlong or truncated sequences), or an escaped lone surrogate.
            return (
                null,
                Problems.Invalid(
                    $"'{field}' is not valid Unicode text (bytes that are not UTF-8, or an unpaired surrogate escape).",
                    field
                )
            );
        }

        if (Unstorable(text) is { } problem)
        {
            return (null, Problems.Invalid($"'{field}' {problem}.", field));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, Problems.Invalid($"'{field}' must not be empty.", field));
        }

        return text.Length > options.MaxTextLength
            ? (
                null,
                Problems.TooLarge($"'{field}' has {text.Length} characters; the limit is {options.MaxTextLength}.")
            )
            : (text, null);
    }

    /// <summary>
    /// Why a decoded string cannot be stored as text: a lone or reversed surrogate (from a <c>\ud800</c> escape) is not
    /// Unicode, and PostgreSQL refuses NUL in text; both databases answer the same way because the API refuses first.
    /// </summary>
    private static string? Unstorable(string text)
    {
        if (text.AsSpan().IndexOf('\0') >= 0)
        {
            return "contains a NUL character (\\u0000), which text cannot hold";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return $"has an unpaired surrogate (\\u{(int)text[i]:x4}) at character {i}; it is not valid Unicode text";
        }

        return null;
    }

    public static ApiOptions Options(this HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
}
