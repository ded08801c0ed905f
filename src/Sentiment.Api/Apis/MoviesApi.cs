using System.Security.Cryptography;
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

/// <summary>One page of a movie's reviews, newest first; <see cref="NextCursor"/> asks for the next (older) page.</summary>
public sealed record MovieDetailResponse(
    long Id,
    string Title,
    long Year,
    string Genre,
    string Description,
    MovieScore Score,
    IReadOnlyList<ReviewResponse> Reviews,
    long? NextCursor
);

/// <summary>A review as everyone sees it: the model's label and, when a moderator gave one, the verified label.</summary>
public sealed record ReviewResponse(
    long Id,
    long MovieId,
    string Text,
    string PredictedSentiment,
    double Probability,
    string ModelVersion,
    long CreatedAt,
    string? VerifiedSentiment
)
{
    public static ReviewResponse From(Review review) =>
        new(
            review.Id,
            review.MovieId,
            review.Text,
            review.PredictedSentiment,
            review.Probability,
            review.ModelVersion,
            review.CreatedAt,
            review.VerifiedSentiment
        );
}

/// <summary>
/// The stored review and its author token: a secret returned only here, once. With it (header
/// <c>X-Review-Token</c>) the author may correct the review's label once.
/// </summary>
public sealed record PostedReviewResponse(ReviewResponse Review, string AuthorToken);

/// <summary>What a feedback call recorded: the label, and whose it is (<c>author</c> or <c>moderator</c>).</summary>
public sealed record FeedbackResponse(ReviewResponse Review, string Sentiment, string Source);

public sealed record ReviewRequest(string Text);

public sealed record FeedbackRequest(string Sentiment);

public static class MoviesApi
{
    public const string AuthorTokenHeader = "X-Review-Token";

    public static IEndpointRouteBuilder MapMoviesApi(this IEndpointRouteBuilder app)
    {
        var movies = app.MapGroup("/api/movies").WithTags("Movies and reviews");
        movies
            .MapGet("/", ListMovies)
            .WithSummary("Every movie with its freshness score.")
            .Produces<IReadOnlyList<MovieResponse>>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        movies
            .MapGet("/{id:long}", GetMovie)
            .WithSummary("One movie, its score and a page of its reviews (newest first; ?limit=&cursor=).")
            .Produces<MovieDetailResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        movies
            .MapGet("/{id:long}/score", GetScore)
            .WithSummary("Freshness = positive reviews / all reviews, labelled fresh or rotten.")
            .Produces<MovieScore>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        movies
            .MapPost("/{id:long}/reviews", AddReview)
            .WithEventType("review")
            .RequireRateLimiting(RateLimits.Writes)
            .WithSummary(
                "Stores a review with its predicted sentiment, probability and model version; answers with the author's token."
            )
            .Accepts<ReviewRequest>("application/json")
            .Produces<PostedReviewResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/api/reviews/{id:long}/feedback", Feedback)
            .WithEventType("feedback")
            .WithTags("Movies and reviews")
            .RequireRateLimiting(RateLimits.Writes)
            .WithSummary(
                "Corrects a review's sentiment: once by its author (header X-Review-Token), or verified by a moderator "
                    + "(Authorization: Bearer <key>); only a moderator's label reaches training."
            )
            .Accepts<FeedbackRequest>("application/json")
            .Produces<FeedbackResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
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

    private static async Task<IResult> GetMovie(
        long id,
        string? limit,
        string? cursor,
        ReviewStore store,
        HttpContext context
    )
    {
        var options = context.Options();
        var take = options.ReviewsPerPage;
        if (
            limit is not null
            && (
                !int.TryParse(limit, System.Globalization.CultureInfo.InvariantCulture, out take)
                || take < 1
                || take > options.MaxReviewsPerPage
            )
        )
        {
            return Problems.Invalid(
                $"'limit' must be a whole number from 1 to {options.MaxReviewsPerPage}, not '{limit}'.",
                "limit"
            );
        }

        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture, out var after) || after < 1)
            {
                return Problems.Invalid(
                    $"'cursor' must be the nextCursor of a previous page, not '{cursor}'.",
                    "cursor"
                );
            }

            before = after;
        }

        if (await store.GetMovieAsync(id) is not { } movie)
        {
            return Problems.NotFound($"There is no movie {id}.");
        }

        var (reviews, next) = await store.GetReviewsAsync(id, take, before);
        return TypedResults.Ok(
            new MovieDetailResponse(
                movie.Id,
                movie.Title,
                movie.Year,
                movie.Genre,
                movie.Description,
                await store.ScoreAsync(id, options.FreshThreshold),
                [.. reviews.Select(ReviewResponse.From)],
                next
            )
        );
    }

    private static async Task<IResult> GetScore(long id, ReviewStore store, HttpContext context) =>
        await store.GetMovieAsync(id) is not null
            ? TypedResults.Ok(await store.ScoreAsync(id, context.Options().FreshThreshold))
            : Problems.NotFound($"There is no movie {id}.");

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
            return Problems.NotFound($"There is no movie {id}.");
        }

        if (models.Current is not { } model)
        {
            return Problems.NotReady();
        }

        var prediction = PredictionApi.Score(model, text!);
        var token = Convert
            .ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');
        var review = await store.AddReviewAsync(
            id,
            text!,
            prediction.Sentiment,
            prediction.Probability,
            prediction.Model.Version,
            Sha256(token)
        );
        log.Set("ReviewId", review.Id);
        return TypedResults.Created($"/api/movies/{id}", new PostedReviewResponse(ReviewResponse.From(review), token));
    }

    private static async Task<IResult> Feedback(long id, HttpContext context, ReviewStore store, IDiagnosticContext log)
    {
        var (label, invalid) = await JsonBody.ReadTextAsync(context, "sentiment");
        if (invalid is not null)
        {
            return invalid;
        }

        if (label is not ("positive" or "negative"))
        {
            return Problems.Invalid($"'sentiment' must be 'positive' or 'negative', not '{label}'.", "sentiment");
        }

        if (Moderator(context) is { } moderator)
        {
            if (moderator.Length == 0)
            {
                return Problems.Forbidden("That moderator key is not one of the configured keys.");
            }

            log.Set("FeedbackSource", "moderator");
            return await store.SetVerifiedAsync(id, label, moderator) is { } verified
                ? TypedResults.Ok(new FeedbackResponse(ReviewResponse.From(verified), label, "moderator"))
                : Problems.NotFound($"There is no review {id}.");
        }

        if (!context.Request.Headers.TryGetValue(AuthorTokenHeader, out var token) || token.ToString().Length == 0)
        {
            return Problems.Unauthorized(
                $"Feedback needs the review's author token (header {AuthorTokenHeader}, returned when the review was posted) or a moderator key (Authorization: Bearer)."
            );
        }

        log.Set("FeedbackSource", "author");
        var result = await store.SetAuthorFeedbackAsync(id, Sha256(token.ToString()), label);
        return result.Outcome switch
        {
            AuthorFeedbackOutcome.Recorded => TypedResults.Ok(
                new FeedbackResponse(ReviewResponse.From(result.Review!), label, "author")
            ),
            AuthorFeedbackOutcome.NotFound => Problems.NotFound($"There is no review {id}."),
            AuthorFeedbackOutcome.WrongToken => Problems.Forbidden("That token is not this review's author token."),
            _ => Problems.Conflict(
                $"The author already corrected review {id} to '{result.Review!.AuthorSentiment}'; a correction is given once."
            ),
        };
    }

    /// <summary>
    /// The moderator named by the request's bearer key (a short fingerprint of the key, never the key), an empty
    /// name for a key that is not configured, or null without a bearer key.
    /// </summary>
    private static string? Moderator(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var offered = Sha256(authorization["Bearer ".Length..].Trim());
        foreach (var key in context.Options().ModeratorKeys.Where(k => k.Length > 0))
        {
            var known = Sha256(key);
            if (
                CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(known),
                    System.Text.Encoding.ASCII.GetBytes(offered)
                )
            )
            {
                return "moderator:" + known[..12];
            }
        }

        return string.Empty;
    }

    private static string Sha256(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}
