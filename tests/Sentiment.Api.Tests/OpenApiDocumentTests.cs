using System.Text.Json.Nodes;
using Pipeline.Testing;

namespace Sentiment.Api.Tests;

/// <summary>
/// The OpenAPI document is part of the API's contract: it is checked into the repository
/// (<c>src/Sentiment.Api/openapi/v1.json</c>), the served one must equal it, and it must describe every body, every
/// status the API answers and the problem body, with an example for every request body.
/// </summary>
public sealed class OpenApiDocumentTests(TrainedModel model) : IClassFixture<TrainedModel>, IDisposable
{
    private static readonly string CheckedIn = Path.Combine(
        Fixtures.RepositoryRoot,
        "src",
        "Sentiment.Api",
        "openapi",
        "v1.json"
    );

    private readonly TempDirectory _folder = new("api-openapi");

    public void Dispose() => _folder.Dispose();

    private async Task<JsonObject> ServedAsync()
    {
        using var factory = new ApiFactory(model.ModelFolder, _folder.Combine("reviews.db"));
        return JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    [Fact]
    public async Task Served_Document_EqualsTheCheckedInOne()
    {
        CheckedInDocument.ShouldEqualCheckedIn(CheckedInDocument.Canonical(await ServedAsync()), CheckedIn);
    }

    [Fact]
    public async Task Served_Document_DescribesEveryBodyStatusAndExample()
    {
        var paths = (await ServedAsync())["paths"]!.AsObject();

        paths
            .Select(p => p.Key)
            .ShouldBe(
                [
                    "/health/live",
                    "/health/ready",
                    "/api/model",
                    "/api/predict",
                    "/api/predict/batch",
                    "/api/movies",
                    "/api/movies/{id}",
                    "/api/movies/{id}/score",
                    "/api/movies/{id}/reviews",
                    "/api/reviews/{id}/feedback",
                ],
                ignoreOrder: true
            );
        foreach (var (path, item) in paths)
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "post"))
            {
                var where = $"{method.ToUpperInvariant()} {path}";
                var responses = operation!["responses"]!.AsObject();
                foreach (var (status, response) in responses)
                {
                    response!["content"].ShouldNotBeNull($"{where} {status} has no body schema");
                    if (status[0] is '4' or '5' && !path.StartsWith("/health", StringComparison.Ordinal))
                    {
                        response["content"]!["application/problem+json"].ShouldNotBeNull($"{where} {status}");
                    }
                }

                if (method == "post")
                {
                    var body = operation["requestBody"]?["content"]?["application/json"];
                    body.ShouldNotBeNull($"{where} has no request body");
                    body["schema"].ShouldNotBeNull($"{where} has no request schema");
                    body["example"].ShouldNotBeNull($"{where} has no example");
                    responses.Select(r => r.Key).ShouldContain("400", where);
                    responses.Select(r => r.Key).ShouldContain("415", where);
                }
            }
        }
    }
}
