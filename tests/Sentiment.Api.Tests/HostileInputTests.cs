using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Testing;

namespace Sentiment.Api.Tests;

/// <summary>What a hostile or broken client sends: every client mistake is a 4xx problem naming what to fix.</summary>
public sealed class HostileInputTests(TrainedModel model) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly TempDirectory _folder = new("api-hostile");
    private readonly List<ApiFactory> _factories = [];

    private HttpClient Client(IDictionary<string, string?>? settings = null)
    {
        var factory = new ApiFactory(model.ModelFolder, _folder.Combine($"reviews-{_factories.Count}.db"), settings);
        _factories.Add(factory);
        return factory.CreateClient();
    }

    public void Dispose()
    {
        _factories.ForEach(f => f.Dispose());
        _folder.Dispose();
    }

    /// <summary>Every JSON endpoint, the field that carries text, and a valid body around a placeholder.</summary>
    public static TheoryData<string, string, string> TextEndpoints =>
        new()
        {
            { "/api/predict", "text", "{\"text\": \"TEXT\"}" },
            { "/api/predict/batch", "texts[0]", "{\"texts\": [\"TEXT\"]}" },
            { "/api/movies/1/reviews", "text", "{\"text\": \"TEXT\"}" },
            { "/api/reviews/1/feedback", "sentiment", "{\"sentiment\": \"TEXT\"}" },
        };

    public static IEnumerable<object[]> BadEncodings()
    {
        // JSON escapes that decode to lone or reversed surrogates, then raw bytes that are not UTF-8.
        var escapes = new[] { "\\ud800", "\\udc00\\ud800", "a\\udfffb" };
        var bytes = new[] { new byte[] { 0xFF }, [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80] };
        foreach (var row in TextEndpoints)
        {
            var (path, field, template) = ((string)row[0], (string)row[1], (string)row[2]);
            foreach (var escape in escapes)
            {
                yield return [path, field, Encoding.UTF8.GetBytes(template.Replace("TEXT", escape))];
            }

            foreach (var raw in bytes)
            {
                var parts = template.Split("TEXT");
                yield return
                [
                    path,
                    field,
                    (byte[])[.. Encoding.UTF8.GetBytes(parts[0]), .. raw, .. Encoding.UTF8.GetBytes(parts[1])],
                ];
            }
        }
    }

    [Theory]
    [MemberData(nameof(BadEncodings))]
    public async Task Post_TextThatIsNotUnicode_IsA400NamingTheField(string path, string field, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Review-Token", "a-token");

        var response = await Client().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("field").GetString().ShouldBe(field);
        problem.GetProperty("detail").GetString()!.ShouldContain("not valid Unicode");
    }

    [Theory]
    [MemberData(nameof(TextEndpoints))]
    public async Task Post_NulCharacter_IsA400NamingTheField(string path, string field, string template)
    {
        var response = await Client()
            .PostAsync(
                path,
                new StringContent(template.Replace("TEXT", "a\\u0000b"), Encoding.UTF8, "application/json")
            );

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("field").GetString().ShouldBe(field);
        problem.GetProperty("detail").GetString()!.ShouldContain("NUL");
    }

    [Theory]
    [InlineData("/api/predict", "text/plain")]
    [InlineData("/api/predict/batch", "text/plain")]
    [InlineData("/api/movies/1/reviews", "text/plain")]
    [InlineData("/api/reviews/1/feedback", "text/plain")]
    [InlineData("/api/predict", "application/x-www-form-urlencoded")]
    [InlineData("/api/predict", "application/json; charset=utf-16")]
    [InlineData("/api/predict", null)]
    public async Task Post_BodyNotSentAsJson_IsA415Problem(string path, string? contentType)
    {
        var content = new ByteArrayContent(
            "{\"text\": \"x\", \"texts\": [\"x\"], \"sentiment\": \"positive\"}"u8.ToArray()
        );
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await Client().PostAsync(path, content);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Metrics_RandomMethods_AreCountedAsOtherNotAsNewSeries()
    {
        var client = Client();
        var before = (await client.GetStringAsync("/metrics")).Length;
        for (var i = 0; i < 200; i++)
        {
            var response = await client.SendAsync(
                new HttpRequestMessage(new HttpMethod($"X{Guid.NewGuid():N}"[..12].ToUpperInvariant()), "/api/predict")
            );
            response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        }

        var metrics = await client.GetStringAsync("/metrics");

        metrics.ShouldContain("method=\"OTHER\"");
        metrics.ShouldNotMatch("method=\"X[0-9A-F]{11}\"");
        // One more method value (OTHER) adds a few dozen series; 200 method values would add thousands.
        Regex
            .Matches(metrics, "method=\"([A-Z]+)\"")
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .Count()
            .ShouldBeLessThanOrEqualTo(10);
        (metrics.Length - before).ShouldBeLessThan(60_000);
    }

    [Fact]
    public async Task Metrics_OtherThanGet_Is405()
    {
        var response = await Client().PostAsync("/metrics", new StringContent(""));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/movies")]
    [InlineData("/docs/")]
    public async Task Responses_AnyPath_CarryTheSecurityHeaders(string path)
    {
        var response = await Client().GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("script-src 'self' 'unsafe-inline'");
        csp.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
    }

    [Fact]
    public async Task Docs_SwitchedOff_AreNotServed()
    {
        var client = Client(new Dictionary<string, string?> { ["Sentiment:ApiDocs"] = "false" });

        (await client.GetAsync("/docs/")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/openapi/v1.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Docs_Page_RunsNoInlineScriptAndLoadsNothingFromAnotherHost()
    {
        var html = await Client().GetStringAsync("/docs/");

        html.ShouldNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>");
        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
    }
}
