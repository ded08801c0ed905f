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
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            (
                await client.PostAsJsonAsync($"/api/reviews/{id}/feedback", new { sentiment = "positive" })
            ).StatusCode.ShouldBe(HttpStatusCode.OK);
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
}
