using Sentiment.Api.Model;

namespace Sentiment.Api.Apis;

public sealed record ModelResponse(
    string Version,
    string? RunId,
    string? RegisteredModel,
    string? RegisteredVersion,
    string? Commit,
    string? DatasetMd5,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset LoadedAt
);

public static class ModelApi
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/api/model",
                (ModelHost models) =>
                    models.Current is { } model
                        ? TypedResults.Ok(
                            new ModelResponse(
                                model.Info.Label,
                                model.Info.RunId,
                                model.Info.RegisteredModel,
                                model.Info.Version,
                                model.Info.Commit,
                                model.Info.DatasetMd5,
                                model.Info.Metrics,
                                model.Info.LoadedAt
                            )
                        )
                        : Problems.NotReady()
            )
            .WithTags("Model")
            .Produces<ModelResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary(
                "What is being served: run id, registered version, commit, dataset md5, metrics and load time."
            );
        return app;
    }
}
