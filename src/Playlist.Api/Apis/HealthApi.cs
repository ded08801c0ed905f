namespace Playlist.Api.Apis;

public static class HealthApi
{
    /// <summary>Live while the process answers; ready once a model is loaded (it is loaded before the host starts).</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).WithTags("Health");
        app.MapGet("/health/ready", (LoadedModel model) => Results.Ok(new { status = "ready", runId = model.RunId }))
            .WithTags("Health");
        return app;
    }
}
