using Pipeline.Cli;
using Prometheus;

namespace Pipeline.Watcher;

/// <summary>
/// <c>pipeline-watcher</c>: the controller with <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, JSON logs
/// on stdout; or <c>--once</c>, which checks, waits for any Job it starts, and exits (see <see cref="WatchCommand"/>).
/// </summary>
public static class WatcherApp
{
    /// <summary>The process entry point: parses the command line (exit 2 naming a bad flag) and runs.</summary>
    public static Task<int> RunAsync(string[] args, ConsoleIO io) =>
        ConsoleApp.RunAsync<WatchCommand>("pipeline-watcher", args, io, ex => ex is WatcherOptionsException);

    public static async Task<int> RunAsync(WatcherOptions options, CancellationToken cancellationToken)
    {
        if (options.Once)
        {
            using var loggers = LoggerFactory.Create(b => b.AddJsonConsole());
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            var runtime = new WatcherRuntime(
                WatcherRuntime.CreateClient(options),
                options,
                loggers.CreateLogger("pipeline-watcher")
            );
            return await runtime.OnceAsync(stop.Token) == RetrainResult.TrainingFailed
                ? ConsoleApp.CheckFailed
                : ConsoleApp.Succeeded;
        }

        var app = Build(options);
        var controller = app.Services.GetRequiredService<WatcherRuntime>();
        await app.RunAsync(cancellationToken);
        // Never 0 after the controller failed, whatever the host's shutdown did with the process exit code.
        return controller.Failed ? ConsoleApp.Crashed : Environment.ExitCode;
    }

    public static WebApplication Build(WatcherOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders().AddJsonConsole();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(s => new WatcherRuntime(
            WatcherRuntime.CreateClient(options),
            options,
            s.GetRequiredService<ILoggerFactory>().CreateLogger("pipeline-watcher")
        ));
        builder.Services.AddHostedService<WatcherService>();
        var app = builder.Build();
        var runtime = app.Services.GetRequiredService<WatcherRuntime>();
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet(
            "/health/ready",
            () =>
                Results.Json(
                    new
                    {
                        status = runtime.IsReady ? "ready" : "waiting for the API server",
                        leader = runtime.Leadership.Leader,
                        leading = runtime.Leadership.IsLeading,
                        watchConnected = runtime.Watch.Connected,
                        resourceVersion = runtime.Watch.ResourceVersion,
                    },
                    statusCode: runtime.IsReady ? 200 : 503
                )
        );
        app.MapMetrics("/metrics", runtime.Metrics.Registry);
        return app;
    }

    private sealed class WatcherService(
        WatcherRuntime runtime,
        IHostApplicationLifetime lifetime,
        ILogger<WatcherService> log
    ) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await runtime.WatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception ex)
            {
                log.LogCritical(ex, "{EventType}: the controller stopped: {Error}", "controller-failed", ex.Message);
                runtime.Failed = true;
                Environment.ExitCode = ConsoleApp.Crashed;
                lifetime.StopApplication();
            }
        }
    }
}
