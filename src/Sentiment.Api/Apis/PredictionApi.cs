using System.Diagnostics;
using System.Text.Json;
using Sentiment.Api.Infrastructure;
using Sentiment.Api.Model;
using Sentiment.Model;
using Serilog;

namespace Sentiment.Api.Apis;

public sealed record PredictionResponse(string Sentiment, double Probability, ModelRef Model);

public sealed record BatchResponse(IReadOnlyList<PredictionResponse> Predictions);

public sealed record PredictRequest(string Text);

public sealed record BatchRequest(IReadOnlyList<string> Texts);

public static class PredictionApi
{
    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/predict").WithTags("Predictions");
        api.MapPost("/", Predict)
            .WithEventType("prediction")
            .WithSummary("Predicts the sentiment of one review: { \"text\": \"…\" }.")
            .Accepts<PredictRequest>("application/json")
            .Produces<PredictionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/batch", PredictBatch)
            .WithEventType("prediction-batch")
            .WithSummary("Predicts up to the configured number of reviews: { \"texts\": [\"…\"] }.")
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static PredictionResponse Score(LoadedModel model, string text) => Respond(model, model.Predict(text));

    /// <summary>Counts the prediction by label and answers with the model that made it.</summary>
    private static PredictionResponse Respond(LoadedModel model, SentimentPrediction prediction)
    {
        ServiceMetrics.CountPrediction(prediction.Sentiment);
        return new PredictionResponse(prediction.Sentiment, Math.Round(prediction.Probability, 6), model.Reference);
    }

    private static async Task<IResult> Predict(HttpContext context, ModelHost models, IDiagnosticContext log)
    {
        var (text, invalid) = await JsonBody.ReadTextAsync(context, "text");
        if (invalid is not null)
        {
            return invalid;
        }

        // Taken once: a reload during this request does not change the model that answers it.
        if (models.Current is not { } model)
        {
            return Problems.NotReady();
        }

        var response = Score(model, text!);
        log.Set("Sentiment", response.Sentiment);
        log.Set("ModelVersion", response.Model.Version);
        return TypedResults.Ok(response);
    }

    private static async Task<IResult> PredictBatch(HttpContext context, ModelHost models, IDiagnosticContext log)
    {
        var options = context.Options();
        var (body, problem) = await JsonBody.ReadAsync(context.Request, options);
        if (problem is not null)
        {
            return problem;
        }

        using var document = body!;
        if (!document.RootElement.TryGetProperty("texts", out var texts) || texts.ValueKind != JsonValueKind.Array)
        {
            return Problems.Invalid("'texts' is required and must be an array of strings.", "texts");
        }

        if (texts.GetArrayLength() > options.MaxBatchSize)
        {
            return Problems.TooLarge(
                $"A batch of {texts.GetArrayLength()} texts exceeds the limit of {options.MaxBatchSize}."
            );
        }

        if (texts.GetArrayLength() == 0)
        {
            return Problems.Invalid("'texts' must not be empty.", "texts");
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in texts.EnumerateArray())
        {
            var (text, invalid) = JsonBody.CheckText(item, $"texts[{index++}]", options);
            if (invalid is not null)
            {
                return invalid;
            }

            items.Add(text!);
        }

        if (models.Current is not { } model)
        {
            return Problems.NotReady();
        }

        var clock = Stopwatch.StartNew();
        var predictions =
            items.Count >= 64
                ? model.Predictor.PredictBatch(items).Select(p => Respond(model, p)).ToList()
                : items.Select(t => Score(model, t)).ToList();
        log.Set("BatchSize", items.Count);
        log.Set("ScoringMs", clock.Elapsed.TotalMilliseconds);
        return TypedResults.Ok(new BatchResponse(predictions));
    }
}
