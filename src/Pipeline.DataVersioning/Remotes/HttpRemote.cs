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

    public async Task<bool> ExistsAsync(string relativePath, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(_base, relativePath));
        using var response = await Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw new DvcException(
                $"remote {Description}: HEAD {relativePath} answered {(int)response.StatusCode} {response.ReasonPhrase}"
            ),
        };
    }

    public async Task DownloadAsync(string relativePath, string destinationFile, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relativePath));
        using var response = await Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectMissingException(relativePath);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new DvcException(
                $"remote {Description}: GET {relativePath} answered {(int)response.StatusCode} {response.ReasonPhrase}"
            );
        }

        await using var target = new FileStream(
            destinationFile,
            FileMode.Create,
            FileAccess.Write,
            FileShare.None,
            1 << 16,
            useAsync: true
        );
        await response.Content.CopyToAsync(target, cancellationToken);
    }

    public Task UploadAsync(string relativePath, string sourceFile, CancellationToken cancellationToken) =>
        throw new DvcException(
            $"remote {Description} is an HTTP remote, which is read-only here: push to a local or S3 remote instead."
        );

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> Send(
        HttpRequestMessage request,
        HttpCompletionOption option,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await _client.SendAsync(request, option, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new DvcException($"remote {Description} is unreachable: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DvcException($"remote {Description} timed out: {ex.Message}", ex);
        }
    }
}
