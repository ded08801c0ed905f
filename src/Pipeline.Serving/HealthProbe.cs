namespace Pipeline.Serving;

/// <summary>
/// <c>/// <c>Sentiment.Api healthcheck</c>: the containerlt;service/// <c>Sentiment.Api healthcheck</c>: the containergt; healthcheck</c> (e.g. <c>Sentiment.Api healthcheck</c>): the container's HEALTHCHECK, which calls /health/live on the local port the
/// service listens on (the runtime images carry no curl). Exit code 0 when live, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "http://+:8080";
        var first = urls.Split(';')[0]
            .Replace("+", "127.0.0.1", StringComparison.Ordinal)
            .Replace("*", "127.0.0.1", StringComparison.Ordinal)
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(first.TrimEnd('/') + "/health/live");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
