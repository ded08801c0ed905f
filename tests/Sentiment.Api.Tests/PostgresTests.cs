using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Sentiment.Api.Tests;

/// <summary>The reviews database on a real PostgreSQL 15 server (SQLite is covered by the other API tests).</summary>
[Trait("Category", "Integration")]
public sealed class PostgresTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    [SkippableFact]
    public async Task ReviewsFlow_OnPostgres_MigratesSeedsStoresAndScores()
    {
        var (server, reason) = await PostgresServer.GetAsync();
        Skip.If(server is null, reason);
        using var folder = new TempDirectory("api-pg");
        var connection = server!.NewDatabase();
        var settings = new Dictionary<string, string?> { ["Sentiment:PostgresConnectionString"] = connection };

        using (var first = new ApiFactory(model.ModelFolder, folder.Combine("unused.db"), settings))
        {
            var client = first.CreateClient();
            (await client.GetFromJsonAsync<JsonElement>("/api/movies")).GetArrayLength().ShouldBe(8);
            var created = await client.PostAsJsonAsync(
                "/api/movies/2/reviews",
                new { text = "Highly recommended. The young cast is a revelation." }
            );
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var posted = await created.Content.ReadFromJsonAsync<JsonElement>();
            var id = posted.GetProperty("review").GetProperty("id").GetInt64();
            var feedback = new HttpRequestMessage(HttpMethod.Post, $"/api/reviews/{id}/feedback")
            {
                Content = JsonContent.Create(new { sentiment = "positive" }),
            };
            feedback.Headers.Add("X-Review-Token", posted.GetProperty("authorToken").GetString());
            (await client.SendAsync(feedback)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A second start-up finds the schema applied and the movies seeded: nothing is applied or seeded twice.
        using var second = new ApiFactory(model.ModelFolder, folder.Combine("unused.db"), settings);
        var again = second.CreateClient();
        (await again.GetFromJsonAsync<JsonElement>("/api/movies")).GetArrayLength().ShouldBe(8);
        var score = await again.GetFromJsonAsync<JsonElement>("/api/movies/2/score");
        score.GetProperty("reviews").GetInt32().ShouldBe(1);
        score.GetProperty("label").GetString().ShouldBe("fresh");
        File.Exists(folder.Combine("unused.db")).ShouldBeFalse();
    }

    [SkippableFact]
    public async Task DatabaseDown_DatabaseEndpointsAre503WithRetryAfter_PredictionsWork_AndItRecovers()
    {
        var (server, reason) = await PostgresServer.GetAsync();
        Skip.If(server is null, reason);
        using var folder = new TempDirectory("api-pg-down");
        await using var proxy = new TcpProxy(server!.Port);
        var connection =
            server.NewDatabase().Replace($"Port={server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal)
            + ";Timeout=3;Command Timeout=5";
        using var factory = new ApiFactory(
            model.ModelFolder,
            folder.Combine("unused.db"),
            new Dictionary<string, string?> { ["Sentiment:PostgresConnectionString"] = connection }
        );
        var client = factory.CreateClient();
        (await client.GetAsync("/api/movies")).StatusCode.ShouldBe(HttpStatusCode.OK);

        proxy.Cut();

        foreach (
            var response in new[]
            {
                await client.GetAsync("/api/movies"),
                await client.GetAsync("/api/movies/1"),
                await client.PostAsJsonAsync("/api/movies/1/reviews", new { text = "Lovely." }),
            }
        )
        {
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.ShouldNotBeNull();
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("title").GetString().ShouldBe("Database unavailable");
        }

        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await client.PostAsJsonAsync("/api/predict", new { text = "Still works." })).StatusCode.ShouldBe(
            HttpStatusCode.OK
        );

        proxy.Restore();
        await Eventually.TrueAsync(
            async () => (await client.GetAsync("/api/movies")).StatusCode == HttpStatusCode.OK,
            "the API to answer again without a restart"
        );
    }

    [SkippableFact]
    public async Task NulAndMetrics_OnPostgres_RefusedLikeSqliteAndNoConnectionDetailsInMetrics()
    {
        var (server, reason) = await PostgresServer.GetAsync();
        Skip.If(server is null, reason);
        using var folder = new TempDirectory("api-pg-nul");
        var connection = server!.NewDatabase();
        using var factory = new ApiFactory(
            model.ModelFolder,
            folder.Combine("unused.db"),
            new Dictionary<string, string?> { ["Sentiment:PostgresConnectionString"] = connection }
        );
        var client = factory.CreateClient();

        var nul = await client.PostAsync(
            "/api/movies/1/reviews",
            new StringContent("{\"text\": \"a\\u0000b\"}", System.Text.Encoding.UTF8, "application/json")
        );
        (await client.GetAsync("/api/movies/1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var metrics = await client.GetStringAsync("/metrics");

        nul.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var database = connection.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))[9..];
        metrics.ShouldNotContain(database);
        metrics.ShouldNotContain($"{server.Port}");
    }
}
