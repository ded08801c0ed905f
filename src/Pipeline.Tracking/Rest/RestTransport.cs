using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Tracking.Rest;

/// <summary>Retry settings: which failures are retried and how long to wait between attempts.</summary>
public sealed record RetryPolicy(int Attempts, TimeSpan FirstDelay)
{
    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromMilliseconds(500));

    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero);
}

/// <summary>
/// HTTP for the MLflow API: JSON in and out, auth from the environment, and MLflow's error bodies turned into
/// <see cref="TrackingException"/>. Only 429, 503 and connection failures are retried, with doubling back-off.
/// </summary>
internal sealed partial class RestTransport(HttpClient client, Uri baseUri, RetryPolicy retry)
{
    public Uri BaseUri { get; } = baseUri;

    public static AuthenticationHeaderValue? AuthFrom(Func<string, string?> environment)
    {
        if (environment("MLFLOW_TRACKING_TOKEN") is { Length: > 0 } token)
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }

        return environment("MLFLOW_TRACKING_USERNAME") is { Length: > 0 } user
            ? new AuthenticationHeaderValue(
                "Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{environment("MLFLOW_TRACKING_PASSWORD")}"))
            )
            : null;
    }

    public async Task<JsonObject> GetAsync(
        string path,
        IEnumerable<(string Key, string Value)> query,
        CancellationToken cancellationToken
    )
    {
        var url = path + Query(query);
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, url)),
            url,
            cancellationToken
        );
        return await ReadJsonAsync(response, cancellationToken);
    }

    public async Task<JsonObject> SendJsonAsync(
        HttpMethod method,
        string path,
        JsonObject body,
        CancellationToken cancellationToken
    )
    {
        var json = body.ToJsonString();
        using var response = await SendAsync(
            () =>
                new HttpRequestMessage(method, new Uri(BaseUri, path))
                {
                    Content = new StringContent(json, Encoding.UTF8, "application/json"),
                },
            path,
            cancellationToken
        );
        return await ReadJsonAsync(response, cancellationToken);
    }

    public async Task PutFileAsync(
        string path,
        string localFile,
        string contentType,
        CancellationToken cancellationToken
    )
    {
        using var response = await SendAsync(
            () =>
            {
                var content = new StreamContent(File.OpenRead(localFile));
                content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                return new HttpRequestMessage(HttpMethod.Put, new Uri(BaseUri, path)) { Content = content };
            },
            path,
            cancellationToken
        );
        await ReadJsonAsync(response, cancellationToken);
    }

    public async Task DownloadAsync(string path, string localFile, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, path)),
            path,
            cancellationToken
        );
        await Pipeline.Core.IO.AtomicFile.WriteAsync(
            localFile,
            stream => response.Content.CopyToAsync(stream, cancellationToken)
        );
    }

    /// <summary>Sends with retries; returns only a success response, throwing <see cref="TrackingException"/> for anything else.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> request,
        string what,
        CancellationToken cancellationToken
    )
    {
        var delay = retry.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var message = request();
                response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex) when (attempt < retry.Attempts)
            {
                _ = ex;
                await Task.Delay(delay, cancellationToken);
                delay *= 2;
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new TrackingException(
                    null,
                    0,
                    $"the tracking server {BaseUri} is unreachable ({what}): {ex.Message}",
                    ex
                );
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TrackingException(null, 0, $"the tracking server {BaseUri} timed out ({what})", ex);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (
                response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                && attempt < retry.Attempts
            )
            {
                var wait = response.Headers.RetryAfter?.Delta ?? delay;
                response.Dispose();
                await Task.Delay(wait < TimeSpan.FromSeconds(30) ? wait : TimeSpan.FromSeconds(30), cancellationToken);
                delay *= 2;
                continue;
            }

            using (response)
            {
                throw await ErrorAsync(response, what, cancellationToken);
            }
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken
    )
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new TrackingException(
                    null,
                    (int)response.StatusCode,
                    $"expected a JSON object, got: {Snippet(text)}"
                );
        }
        catch (System.Text.Json.JsonException)
        {
            throw new TrackingException(
                null,
                (int)response.StatusCode,
                $"expected JSON from {response.RequestMessage?.RequestUri}, got {response.Content.Headers.ContentType}: {Snippet(text)}"
            );
        }
    }

    /// <summary>MLflow's JSON error body when there is one; otherwise the status and the text of whatever page came back.</summary>
    private static async Task<TrackingException> ErrorAsync(
        HttpResponseMessage response,
        string what,
        CancellationToken cancellationToken
    )
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text) is JsonObject error && error["error_code"]?.GetValue<string>() is { } code)
            {
                return new TrackingException(code, status, error["message"]?.GetValue<string>() ?? string.Empty);
            }
        }
        catch (System.Text.Json.JsonException) { }

        return new TrackingException(
            null,
            status,
            $"{what} answered {status} {response.ReasonPhrase} ({response.Content.Headers.ContentType}): {Snippet(text)}"
        );
    }

    private static string Snippet(string text)
    {
        var plain = Whitespace().Replace(Tags().Replace(text, " "), " ").Trim();
        return plain.Length > 200 ? plain[..200] + "…" : plain;
    }

    private static string Query(IEnumerable<(string Key, string Value)> query)
    {
        var parts = query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)).ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
