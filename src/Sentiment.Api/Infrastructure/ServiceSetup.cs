using Microsoft.Extensions.Options;
using Prometheus;
using Sentiment.Api.Apis;
using Sentiment.Api.Model;
using Sentiment.Reviews;
using Serilog;
using Serilog.Events;

namespace Sentiment.Api.Infrastructure;

public static class ServiceSetup
{
    public static WebApplicationBuilder AddSentimentServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        builder.Services.Configure<ApiOptions>(builder.Configuration.GetSection(ApiOptions.Section));
        builder.Services.AddSerilog(
            (services, log) =>
            {
                log.MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                    .Enrich.FromLogContext();
                // JSON lines on stdout for Elasticsearch, written by Serilog's async sink on its own thread (bounded
                // queue; a full queue makes requests wait rather than drop lines). A host (the tests) can take them.
                if (services.GetService<LogSink>() is { } sink)
                {
                    log.WriteTo.Sink(sink);
                }
                else
                {
                    log.WriteTo.Async(
                        stdout => stdout.Sink(LogSink.BufferedStdout()),
                        bufferSize: 10_000,
                        blockWhenFull: true
                    );
                }
            },
            preserveStaticLogger: true
        ); // each host its own logger: several hosts in one process (the tests) must not share the static one
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(
                options.MinRequestBodyBytesPerSecond,
                TimeSpan.FromSeconds(options.MinRequestBodyGraceSeconds)
            );
        });
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in options.TrustedProxies)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddWriteRateLimit(options);
        // Npgsql's meter labels every series with the database host, port, name and user: not for a scrape target.
        Metrics.ConfigureMeterAdapter(meters => meters.InstrumentFilterPredicate = i => i.Meter.Name != "Npgsql");
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOpenApi(openApi =>
        {
            openApi.AddOperationTransformer(OpenApiExamples.Apply);
            openApi.AddDocumentTransformer(OpenApiExamples.Describe);
        });
        builder.Services.AddCors(cors =>
            cors.AddDefaultPolicy(policy =>
                policy.WithOrigins(options.CorsOrigins).AllowAnyHeader().WithMethods("GET", "POST")
            )
        );
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ApiOptions>>().Value;
            return ReviewStore.Create(settings.PostgresConnectionString, settings.SqlitePath);
        });
        return builder;
    }

    public static async Task<WebApplication> UseSentimentPipelineAsync(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<ReviewStore>();
        await store.MigrateAsync();
        await store.SeedAsync(Path.Combine(AppContext.BaseDirectory, "movies.json"));
        var models = app.Services.GetRequiredService<ModelHost>();
        models.Reloaded += ServiceMetrics.ServeModel;

        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.UseForwardedHeaders();
        app.UseBoundedMethods();
        app.UseSecurityHeaders();
        app.UseManagementPort(options.ManagementPort);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(logging =>
        {
            logging.MessageTemplate =
                "{EventType} {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms";
            logging.Logger = app.Services.GetRequiredService<Serilog.ILogger>(); // not the static Log
            logging.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("RequestId", http.TraceIdentifier);
                diagnostics.Set("EventType", EventType.Of(http));
            };
        });
        app.UseCors();
        app.UseHttpMetrics();
        app.UseRateLimiter();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        if (options.ApiDocs)
        {
            app.MapApiDocs();
        }

        app.MapMetrics(ManagementPort.MetricsPath).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        app.MapHealthApi();
        app.MapModelApi();
        app.MapPredictionApi();
        app.MapMoviesApi();
        app.Logger.LogInformation(
            "{EventType}: reviews in {Database}, model folder {ModelPath}",
            "start",
            store.Description,
            models.Folder
        );
        return app;
    }
}
