using Sentiment.Api.Model;
using Sentiment.Reviews;

namespace Sentiment.Api.Apis;

/// <summary>Whether the process is up (live) or can serve (ready: a model loaded and the database answering).</summary>
public sealed record HealthResponse(string Status, bool? Model, bool? Database);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Operations");
        health
            .MapGet("/live", () => TypedResults.Ok(new HealthResponse("live", null, null)))
            .WithSummary("The process is up.");
        health
            .MapGet(
                "/ready",
                async (ModelHost models, ReviewStore store) =>
                {
                    var database = await store.CanConnectAsync();
                    var ready = models.IsReady && database;
                    var body = new HealthResponse(ready ? "ready" : "not ready", models.IsReady, database);
                    return ready
                        ? Results.Ok(body)
                        : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            )
            .WithSummary("Ready once a model is loaded and the database answers.")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}
