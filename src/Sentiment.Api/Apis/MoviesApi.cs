using Sentiment.Api.Infrastructure;
using Sentiment.Api.Model;
using Sentiment.Reviews;
using Serilog;

namespace Sentiment.Api.Apis;

public sealed record MovieResponse(
    long Id,
    string Title,
    long Year,
    string Genre,
    string Description,
    MovieScore Score
);

public sealed record MovieDetailResponse(
    long Id,
    string Title,
    long Year,
    string Genre,
    string Description,
    MovieScore Score,
    IReadOnlyList<Review> Reviews
);

public static class MoviesApi
{
    public static IEndpointRouteBuilder MapMoviesApi(this IEndpointRouteBuilder app)
    {
        var movies = app.MapGroup("/api/movies").WithTags("Movies and reviews");
        movies.MapGet("/", ListMovies).WithSummary("Every movie with its freshness score.");
        movies.MapGet("/{id:long}", GetMovie).WithSummary("One movie, its score and its reviews.");
        movies
            .MapGet("/{id:long}/score", GetScore)
            .WithSummary("Freshness = positive reviews / all reviews, labelled fresh or rotten.");
        movies
            .MapPost("/{id:long}/reviews", AddReview)
            .WithEventType("review")
            .WithSummary("Stores a review with its predicted sentiment, probability and model version.");
        app.MapPost("/api/reviews/{id:long}/feedback", Feedback)
            .WithEventType("feedback")
            .WithTags("Movies and reviews")
            .WithSummary("Confirms or corrects a review's sentiment: { \"sentiment\": \"positive|negative\" }.");
        return app;
    }

    private static async Task<IResult> ListMovies(ReviewStore store, HttpContext context)
    {
        var threshold = context.Options().FreshThreshold;
        var result = new List<MovieResponse>();
        foreach (var movie in await store.GetMoviesAsync())
        {
            result.Add(
                new MovieResponse(
                    movie.Id,
                    movie.Title,
                    movie.Year,
                    movie.Genre,
                    movie.Description,
                    await store.ScoreAsync(movie.Id, threshold)
                )
            );
        }

        return TypedResults.Ok(result);
    }

    private static async Task<IResult> GetMovie(long id, ReviewStore store, HttpContext context) =>
        await store.GetMovieAsync(id) is { } movie
            ? TypedResults.Ok(
                new MovieDetailResponse(
                    movie.Id,
                    movie.Title,
                    movie.Year,
                    movie.Genre,
                    movie.Description,
                    await store.ScoreAsync(id, context.Options().FreshThreshold),
                    await store.GetReviewsAsync(id)
                )
            )
            : JsonBody.NotFound($"There is no movie {id}.");

    private static async Task<IResult> GetScore(long id, ReviewStore store, HttpContext context) =>
        await store.GetMovieAsync(id) is not null
            ? TypedResults.Ok(await store.ScoreAsync(id, context.Options().FreshThreshold))
            : JsonBody.NotFound($"There is no movie {id}.");

    private static async Task<IResult> AddReview(
        long id,
        HttpContext context,
        ReviewStore store,
        ModelHost models,
        IDiagnosticContext log
    )
    {
        var (text, invalid) = await JsonBody.ReadTextAsync(context, "text");
        if (invalid is not null)
        {
            return invalid;
        }

        if (await store.GetMovieAsync(id) is null)
        {
            return JsonBody.NotFound($"There is no movie {id}.");
        }

        if (models.Current is not { } model)
        {
            return JsonBody.NotReady();
        }

        var prediction = PredictionApi.Score(model, text!);
        var review = await store.AddReviewAsync(
            id,
            text!,
            prediction.Sentiment,
            prediction.Probability,
            prediction.Model.Version
        );
        log.Set("ReviewId", review.Id);
        return TypedResults.Created($"/api/movies/{id}", review);
    }

    private static async Task<IResult> Feedback(long id, HttpContext context, ReviewStore store)
    {
        var (label, invalid) = await JsonBody.ReadTextAsync(context, "sentiment");
        if (invalid is not null)
        {
            return invalid;
        }

        if (label is not ("positive" or "negative"))
        {
            return JsonBody.Invalid($"'sentiment' must be 'positive' or 'negative', not '{label}'.", "sentiment");
        }

        return await store.SetFeedbackAsync(id, label) is { } review
            ? TypedResults.Ok(review)
            : JsonBody.NotFound($"There is no review {id}.");
    }
}
