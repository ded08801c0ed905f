using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Testing;
using Sentiment.Reviews;

namespace Sentiment.Api.Tests;

/// <summary>
/// Who may label a review: its author once (with the secret only the author got), a moderator (with a configured
/// key) always; nobody else. Only a moderator's label reaches the verified training set.
/// </summary>
public sealed class FeedbackTests(TrainedModel model) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly TempDirectory _folder = new("api-feedback");
    private ApiFactory? _factory;

    private HttpClient Client(IDictionary<string, string?>? settings = null)
    {
        _factory = new ApiFactory(model.ModelFolder, _folder.Combine("reviews.db"), settings);
        return _factory.CreateClient();
    }

    public void Dispose()
    {
        _factory?.Dispose();
        _folder.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(long Id, string Token)> PostReviewAsync(HttpClient client, string text = "Lovely film.")
    {
        var response = await client.PostAsync("/api/movies/2/reviews", Json($"{{\"text\": \"{text}\"}}"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("review").GetProperty("id").GetInt64(), body.GetProperty("authorToken").GetString()!);
    }

    private static Task<HttpResponseMessage> FeedbackAsync(
        HttpClient client,
        long id,
        string sentiment,
        string? token = null,
        string? moderatorKey = null
    )
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{id}/feedback")
        {
            Content = Json($"{{\"sentiment\": \"{sentiment}\"}}"),
        };
        if (token is not null)
        {
            request.Headers.Add("X-Review-Token", token);
        }

        if (moderatorKey is not null)
        {
            request.Headers.Authorization = new("Bearer", moderatorKey);
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task Feedback_Anonymous_Is401AndChangesNothing()
    {
        var client = Client();
        var (id, _) = await PostReviewAsync(client);

        var response = await FeedbackAsync(client, id, "negative");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("X-Review-Token");
        (await _factory!.Services.GetRequiredService<ReviewStore>().GetReviewsChangedAsync(0, long.MaxValue))
            .Single()
            .ShouldSatisfyAllConditions(r => r.VerifiedSentiment.ShouldBeNull(), r => r.AuthorSentiment.ShouldBeNull());
    }

    [Fact]
    public async Task Feedback_AnotherReviewsToken_Is403()
    {
        var client = Client();
        var (first, _) = await PostReviewAsync(client);
        var (_, secondToken) = await PostReviewAsync(client, "Awful.");

        (await FeedbackAsync(client, first, "negative", secondToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Feedback_AuthorTwice_SecondIs409AndNeitherIsVerified()
    {
        var client = Client();
        var (id, token) = await PostReviewAsync(client);

        var first = await FeedbackAsync(client, id, "negative", token);
        var second = await FeedbackAsync(client, id, "positive", token);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("source").GetString().ShouldBe("author");
        body.GetProperty("review").GetProperty("verifiedSentiment").ValueKind.ShouldBe(JsonValueKind.Null);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var stored = (
            await _factory!.Services.GetRequiredService<ReviewStore>().GetReviewsChangedAsync(0, long.MaxValue)
        ).Single();
        stored.AuthorSentiment.ShouldBe("negative");
        stored.VerifiedSentiment.ShouldBeNull("an author's word is not a verified label");
        stored.Label.ShouldBe(stored.PredictedSentiment, "training keeps the model's label until a moderator verifies");
    }

    [Fact]
    public async Task Feedback_ModeratorKey_VerifiesAndAnUnknownKeyIs403()
    {
        var client = Client();
        var (id, _) = await PostReviewAsync(client);

        (await FeedbackAsync(client, id, "negative", moderatorKey: "not-a-key")).StatusCode.ShouldBe(
            HttpStatusCode.Forbidden
        );
        var verified = await FeedbackAsync(client, id, "negative", moderatorKey: ApiFactory.ModeratorKey);

        verified.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _factory!.Services.GetRequiredService<ReviewStore>().GetReviewsChangedAsync(0, long.MaxValue))
            .Single()
            .VerifiedSentiment.ShouldBe("negative");
    }

    [Fact]
    public async Task Writes_OverTheLimit_Are429WithRetryAfter()
    {
        var client = Client(new Dictionary<string, string?> { ["Sentiment:WritesPerMinute"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            await PostReviewAsync(client);
        }

        var limited = await client.PostAsync("/api/movies/2/reviews", Json("{\"text\": \"One more.\"}"));

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        limited.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await client.PostAsync("/api/predict", Json("{\"text\": \"Still answered.\"}"))).StatusCode.ShouldBe(
            HttpStatusCode.OK
        );
    }

    [Fact]
    public async Task Movie_ManyReviews_ComesInPagesNewestFirst()
    {
        var client = Client();
        for (var i = 0; i < 25; i++)
        {
            await PostReviewAsync(client, $"Review number {i}.");
        }

        var first = JsonDocument.Parse(await client.GetStringAsync("/api/movies/2")).RootElement;
        var second = JsonDocument
            .Parse(await client.GetStringAsync($"/api/movies/2?cursor={first.GetProperty("nextCursor").GetInt64()}"))
            .RootElement;
        var small = JsonDocument.Parse(await client.GetStringAsync("/api/movies/2?limit=5")).RootElement;

        first.GetProperty("reviews").GetArrayLength().ShouldBe(20);
        first.GetProperty("reviews")[0].GetProperty("text").GetString().ShouldBe("Review number 24.");
        second.GetProperty("reviews").GetArrayLength().ShouldBe(5);
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        second.GetProperty("reviews")[4].GetProperty("text").GetString().ShouldBe("Review number 0.");
        small.GetProperty("reviews").GetArrayLength().ShouldBe(5);
        first.GetProperty("score").GetProperty("reviews").GetInt32().ShouldBe(25, "the score counts every review");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=-3", "cursor")]
    [InlineData("cursor=abc", "cursor")]
    public async Task Movie_BadPage_IsA400NamingTheParameter(string query, string field)
    {
        var response = await Client().GetAsync($"/api/movies/2?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument
            .Parse(await response.Content.ReadAsStringAsync())
            .RootElement.GetProperty("field")
            .GetString()
            .ShouldBe(field);
    }
}
