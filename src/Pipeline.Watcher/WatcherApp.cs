using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Pipeline.Watcher;

/// <summary>
/// <c>pipeline-watcher</c>: the controller with <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, JSON logs
/// on stdout; or <c>--once</c>, which checks, waits for any Job it starts, and exits (0 done, 1 training failed, 2 bad input).
/// </summary>
public static class WatcherApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        WatcherOptions options;
        try
        {
            options = WatcherOptions.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (WatcherOptionsException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }

        try
        {
            if (options.Once)
            {
                using var loggers = LoggerFactory.Create(b => b.AddJsonConsole());
                using var stop = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                var runtime = new WatcherRuntime(WatcherRuntime.CreateClient(options), options, loggers.CreateLogger("pipeline-watcher"));
                return await runtime.OnceAsync(stop.Token) == RetrainResult.TrainingFailed ? 1 : 0;
            }

            var app = Build(options);
            await app.RunAsync();
            return 0;
        }
        catch (WatcherOptionsException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
    }

    public static WebApplication Build(WatcherOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders().AddJsonConsole();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(s => new WatcherRuntime(WatcherRuntime.CreateClient(options), options, s.GetRequiredService<ILoggerFactory>().CreateLogger("pipeline-watcher")));
        builder.Services.AddHostedService<WatcherService>();
        var app = builder.Build();
        var runtime = app.Services.GetRequiredService<WatcherRuntime>();
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", () => Results.Json(new
        {
            status = runtime.IsReady ? "ready" : "waiting for the API server",
            leader = runtime.Leadership.Leader,
            leading = runtime.Leadership.IsLeading,
            watchConnected = runtime.Watch.Connected,
            resourceVersion = runtime.Watch.ResourceVersion,
        }, statusCode: runtime.IsReady ? 200 : 503));
        app.MapMetrics("/metrics", runtime.Metrics.Registry);
        return app;
    }

    private sealed class WatcherService(WatcherRuntime runtime, IHostApplicationLifetime lifetime, ILogger<WatcherService> log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await runtime.WatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                log.LogCritical(ex, "{EventType}: the controller stopped: {Error}", "controller-failed", ex.Message);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }
        }
    }
}
