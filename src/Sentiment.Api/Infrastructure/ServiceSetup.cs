using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;
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
                // JSON lines on stdout for Elasticsearch; a host (the tests) can take them instead.
                log.WriteTo.Sink(services.GetService<LogSink>() ?? LogSink.BufferedStdout());
            },
            preserveStaticLogger: true
        ); // each host its own logger: several hosts in one process (the tests) must not share the static one
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
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
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapMetrics("/metrics");
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
