using System.Text.Json;
using Microsoft.Extensions.Options;
using Playlist.Model;
using Prometheus;

namespace Playlist.Api.Apis;

/// <summary>The seed tracks a client sends, and how many recommendations it wants (default 10).</summary>
public sealed record RecommendRequest(IReadOnlyList<string> Tracks, int? Count);

/// <summary>Recommended tracks, best first, and the seeds the catalog does not know (they are ignored).</summary>
public sealed record RecommendResponse(IReadOnlyList<Recommendation> Recommendations, IReadOnlyList<string> Unknown);

public sealed record TrackList(IReadOnlyList<string> Tracks, int Total);

public static class RecommendationsApi
{
    private static readonly Counter Served = Metrics.CreateCounter(
        "playlist_recommendations_total",
        "Recommendation requests answered, by whether the rules (not only popularity) filled the list.",
        new CounterConfiguration { LabelNames = ["source"] }
    );

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Recommendations");
        api.MapPost("/recommend", RecommendAsync)
            .Accepts<RecommendRequest>("application/json")
            .Produces<RecommendResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Recommends tracks that go with the seed tracks, by the association rules of the model.");
        api.MapGet("/tracks", Tracks)
            .Produces<TrackList>()
            .WithSummary("Catalog tracks whose name contains the search text (case-insensitive), for choosing seeds.");
        api.MapGet(
                "/model",
                (LoadedModel model) =>
                    Results.Ok(
                        new
                        {
                            runId = model.RunId,
                            version = model.Version,
                            rules = model.Rules.Rules.Count,
                            tracks = model.Rules.Tracks.Count,
                        }
                    )
            )
            .WithSummary("Which model is served: its run, registered version and size.");
        return app;
    }

    private static async Task<IResult> RecommendAsync(
        HttpContext http,
        LoadedModel model,
        IOptions<PlaylistOptions> options
    )
    {
        var limits = options.Value;
        if (!http.Request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType(http.Request.ContentType);
        }

        RecommendRequest? request;
        try
        {
            request = await http.Request.ReadFromJsonAsync<RecommendRequest>(http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Problems.Invalid(
                $"The body is not the JSON this endpoint takes: {ex.Message}",
                ex.Path is { Length: > 2 } path ? path[2..] : null
            );
        }
        catch (Exception ex) when (ex is System.Text.DecoderFallbackException or InvalidOperationException)
        {
            return Problems.Invalid("The body is not valid UTF-8 JSON.");
        }

        if (request?.Tracks is not { } tracks)
        {
            return Problems.Invalid("'tracks' is required: a list of seed tracks, each \"Title — Artist\".", "tracks");
        }

        if (tracks.Count > limits.MaxSeeds)
        {
            return Problems.Invalid(
                $"'tracks' holds {tracks.Count} seeds; at most {limits.MaxSeeds} are taken.",
                "tracks"
            );
        }

        if (tracks.Any(t => t is null || t.Length > limits.MaxTrackLength || t.Contains('\0')))
        {
            return Problems.Invalid(
                $"Every seed must be a track name of at most {limits.MaxTrackLength} characters.",
                "tracks"
            );
        }

        var count = request.Count ?? limits.DefaultCount;
        if (count < 1 || count > limits.MaxCount)
        {
            return Problems.Invalid($"'count' must be from 1 to {limits.MaxCount}.", "count");
        }

        var unknown = tracks.Where(t => model.Rules.Find(t) is null).ToList();
        var recommendations = model.Rules.Recommend(tracks, count);
        Served.WithLabels(recommendations.Any(r => r.Lift > 0) ? "rules" : "popularity").Inc();
        return Results.Ok(new RecommendResponse(recommendations, unknown));
    }

    private static IResult Tracks(LoadedModel model, string? search, int? limit)
    {
        var take = Math.Clamp(limit ?? 20, 1, 100);
        var matching = model.Rules.Tracks.Where(t =>
            string.IsNullOrWhiteSpace(search) || t.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        );
        var list = matching.Order(StringComparer.OrdinalIgnoreCase).ToList();
        return Results.Ok(new TrackList([.. list.Take(take)], list.Count));
    }
}
