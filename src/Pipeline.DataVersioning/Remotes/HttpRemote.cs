using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Pipeline.DataVersioning.Remotes;

/// <summary>A read-only HTTP(S) remote, as served by any static file server.</summary>
public sealed class HttpRemote : IDvcRemote
{
    private readonly HttpClient _client;
    private readonly Uri _base;

    public HttpRemote(string name, string url, string? user = null, string? password = null, TimeSpan? timeout = null)
    {
        Name = name;
        _base = new Uri(url.EndsWith('/') ? url : url + "/");
        _client = new HttpClient { Timeout = timeout ?? TimeSpan.FromMinutes(10) };
        if (user is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))
            );
        }
    }

    public string Name { get; }

    public string Description => $"'{Name}' ({_base})";

    public bool CanWrite => false;

    public Task<bool> ExistsAsync(string relativePath, CancellationToken cancellationToken) =>
        WithRetries(
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(_base, relativePath));
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                return response.StatusCode switch
                {
                    HttpStatusCode.OK => true,
                    HttpStatusCode.NotFound => false,
                    _ => throw Failure(response, "HEAD", relativePath),
                };
            },
            cancellationToken
        );

    public Task DownloadAsync(string relativePath, string destinationFile, CancellationToken cancellationToken) =>
        WithRetries(
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relativePath));
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new ObjectMissingException(relativePath);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw Failure(response, "GET", relativePath);
                }

                // FileMode.Create: a retry starts the file again rather than appending to a broken attempt.
                await using var target = new FileStream(
                    destinationFile,
                    FileMode.Create,
                    FileAccess.Write,
                    FileShare.None,
                    1 << 16,
                    useAsync: true
                );
                await response.Content.CopyToAsync(target, ct);
                return true;
            },
            cancellationToken
        );

    public Task UploadAsync(string relativePath, string sourceFile, CancellationToken cancellationToken) =>
        throw new DvcException(
            $"remote {Description} is an HTTP remote, which is read-only here: push to a local or S3 remote instead."
        );

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// Runs a GET or HEAD again when the connection, not the server's answer, failed (or the server said it is busy):
    /// simple servers such as Python's http.server (HTTP/1.0, a listen queue of 5) drop connections under parallel
    /// fetches. DVC's HTTP filesystem retries the same way. Bounded: <see cref="Attempts"/> tries, backing off.
    /// </summary>
    private async Task<T> WithRetries<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var tryNumber = 1; ; tryNumber++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (Exception ex)
                when (IsTransient(ex) && tryNumber < Attempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << (tryNumber - 1))), cancellationToken);
            }
            catch (BusyException ex)
            {
                throw new DvcException(ex.Message, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new DvcException($"remote {Description} is unreachable: {Describe(ex)}", ex);
            }
            catch (IOException ex)
            {
                throw new DvcException($"remote {Description} broke off a transfer: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DvcException($"remote {Description} timed out: {ex.Message}", ex);
            }
        }
    }

    private const int Attempts = 6;

    private static bool IsTransient(Exception ex) => ex is HttpRequestException or IOException or BusyException;

    private static string Describe(HttpRequestException ex) =>
        ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;

    private Exception Failure(HttpResponseMessage response, string method, string relativePath)
    {
        var text =
            $"remote {Description}: {method} {relativePath} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        return
            response.StatusCode
                is HttpStatusCode.TooManyRequests
                    or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.GatewayTimeout
            ? new BusyException(text)
            : new DvcException(text);
    }

    /// <summary>A status that says "try again later"; it becomes a DvcException once the retries are spent.</summary>
    private sealed class BusyException(string message) : Exception(message);
}
