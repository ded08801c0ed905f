using Sentiment.Api.Model;
using Sentiment.Reviews;

namespace Sentiment.Api.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Operations");
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" })).WithSummary("The process is up.");
        health
            .MapGet(
                "/ready",
                async (ModelHost models, ReviewStore store) =>
                {
                    var database = await store.CanConnectAsync();
                    var body = new
                    {
                        status = models.IsReady && database ? "ready" : "not ready",
                        model = models.IsReady,
                        database,
                    };
                    return models.IsReady && database
                        ? Results.Ok(body)
                        : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            )
            .WithSummary("Ready once a model is loaded and the database answers.");
        return app;
    }
}
