using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Testing;

/// <summary>Starts a quiet Kestrel app on 127.0.0.1 (a free port unless one is given) for the test servers.</summary>
public static class LoopbackWebApp
{
    public static async Task<(WebApplication App, string Url)> StartAsync(
        Action<WebApplication> configure,
        int port = 0
    )
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        return (
            app,
            app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
        );
    }
}
