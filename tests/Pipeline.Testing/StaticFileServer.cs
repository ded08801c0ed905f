using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Pipeline.Testing;

/// <summary>A real HTTP server (Kestrel's static files) serving a folder on a loopback port, like any static file host.</summary>
public sealed class StaticFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticFileServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<StaticFileServer> StartAsync(string root)
    {
        var (app, url) = await LoopbackWebApp.StartAsync(app =>
            app.UseStaticFiles(
                new StaticFileOptions
                {
                    FileProvider = new PhysicalFileProvider(root),
                    ServeUnknownFileTypes = true,
                    DefaultContentType = "application/octet-stream",
                }
            )
        );
        return new StaticFileServer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
