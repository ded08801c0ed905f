using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Sentiment.Api.Tests;

public sealed class ApiTests(TrainedModel model) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly TempDirectory _folder = new("api");
    private ApiFactory? _factory;

    private HttpClient Client(IDictionary<string, string?>? settings = null, string? modelFolder = null)
    {
        _factory = new ApiFactory(modelFolder ?? model.ModelFolder, _folder.Combine("reviews.db"), settings);
        return _factory.CreateClient();
    }

    public void Dispose()
    {
        _factory?.Dispose();
        _folder.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await Body(response);
        body.GetProperty("status").GetInt32().ShouldBe((int)status);
        body.GetProperty("detail").GetString()!.ShouldContain(detail);
    }

    [Fact]
    public async Task Predict_Review_ReturnsSentimentProbabilityAndModel()
    {
        var response = await Client()
            .PostAsync(
                "/api/predict",
                Json("{\"text\": \"The chemistry between the two leads is electric. Highly recommended.\"}")
            );

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await Body(response);
        body.GetProperty("sentiment").GetString().ShouldBe("positive");
        body.GetProperty("probability").GetDouble().ShouldBeInRange(0.5, 1.0);
        body.GetProperty("model").GetProperty("version").GetString().ShouldBe("v7");
        body.GetProperty("model").GetProperty("runId").GetString().ShouldBe("0123456789abcdef0123456789abcdef");
    }

    [Fact]
    public async Task PredictBatch_UpToTheLimit_ReturnsOnePredictionEach()
    {
        var response = await Client()
            .PostAsync(
                "/api/predict/batch",
                Json("{\"texts\": [\"Skip it. The plot is a mess.\", \"Highly recommended, a small gem.\"]}")
            );

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var predictions = (await Body(response))
            .GetProperty("predictions")
            .EnumerateArray()
            .Select(p => p.GetProperty("sentiment").GetString())
            .ToList();
        predictions.ShouldBe(["negative", "positive"]);
    }

    [Theory]
    [InlineData("{}", "'text' is required")]
    [InlineData("{\"text\": null}", "'text' is required")]
    [InlineData("{\"text\": \"   \"}", "must not be empty")]
    [InlineData("{\"text\": 42}", "must be a string, not number")]
    [InlineData("{\"text\": [\"a\"]}", "must be a string, not array")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"text\": ", "not valid JSON")]
    [InlineData("", "The request body is empty")]
    public async Task Predict_BadInput_IsA400Problem(string body, string detail) =>
        await AssertProblem(await Client().PostAsync("/api/predict", Json(body)), HttpStatusCode.BadRequest, detail);

    [Fact]
    public async Task Predict_TextOverTheLimit_IsA413Problem() =>
        await AssertProblem(
            await Client().PostAsync("/api/predict", Json($"{{\"text\": \"{new string('a', 201)}\"}}")),
            HttpStatusCode.RequestEntityTooLarge,
            "the limit is 200"
        );

    [Fact]
    public async Task Predict_BodyOverTheLimit_IsA413Problem() =>
        await AssertProblem(
            await Client()
                .PostAsync("/api/predict", Json($"{{\"text\": \"x\", \"pad\": \"{new string('a', 5000)}\"}}")),
            HttpStatusCode.RequestEntityTooLarge,
            "exceeds the limit of 4096 bytes"
        );

    [Fact]
    public async Task Predict_ChunkedBodyOverTheLimit_IsA413Problem() =>
        await AssertProblem(
            await PostChunked("/api/predict", $"{{\"text\": \"x\", \"pad\": \"{new string('a', 5000)}\"}}"),
            HttpStatusCode.RequestEntityTooLarge,
            "The request body exceeds the limit of 4096 bytes"
        );

    [Fact]
    public async Task Predict_ChunkedBodyInPieces_IsPredicted()
    {
        var response = await PostChunked(
            "/api/predict",
            $"{{\"pad\": \"{new string(' ', 3000)}\", \"text\": \"Skip it.\"}}"
        );

        (await Body(response)).GetProperty("sentiment").GetString().ShouldBe("negative");
    }

    private Task<HttpResponseMessage> PostChunked(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ChunkedJson(json) };
        request.Headers.TransferEncodingChunked = true;
        return Client().SendAsync(request);
    }

    /// <summary>A JSON body sent in 1 KB pieces with no Content-Length, so the API reads it in several steps and must count it itself.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < _bytes.Length; at += 1024)
            {
                await stream.WriteAsync(_bytes.AsMemory(at, Math.Min(1024, _bytes.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Theory]
    [InlineData(
        "{\"texts\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}",
        HttpStatusCode.RequestEntityTooLarge,
        "A batch of 5 texts exceeds the limit of 4"
    )]
    [InlineData("{\"texts\": \"one\"}", HttpStatusCode.BadRequest, "must be an array")]
    [InlineData("{\"texts\": []}", HttpStatusCode.BadRequest, "must not be empty")]
    [InlineData("{\"texts\": [\"ok\", 7]}", HttpStatusCode.BadRequest, "'texts[1]' must be a string")]
    public async Task PredictBatch_BadInput_IsAProblem(string body, HttpStatusCode status, string detail) =>
        await AssertProblem(await Client().PostAsync("/api/predict/batch", Json(body)), status, detail);

    [Fact]
    public async Task Model_Served_DescribesRunVersionCommitDataAndMetrics()
    {
        var body = await Body(await Client().GetAsync("/api/model"));

        body.GetProperty("version").GetString().ShouldBe("v7");
        body.GetProperty("registeredVersion").GetString().ShouldBe("7");
        body.GetProperty("commit").GetString().ShouldBe("c0ffee");
        body.GetProperty("datasetMd5").GetString().ShouldBe("e168c20b");
        body.GetProperty("metrics").GetProperty("accuracy").GetDouble().ShouldBe(0.97);
        body.TryGetProperty("loadedAt", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task MoviesAndReviews_AddScoreAndFeedback_WorkTogether()
    {
        var client = Client();
        var movies = (await Body(await client.GetAsync("/api/movies"))).EnumerateArray().ToList();
        movies.Count.ShouldBe(8);
        movies[0].GetProperty("score").GetProperty("label").GetString().ShouldBe("unrated");

        var created = await client.PostAsync(
            "/api/movies/1/reviews",
            Json("{\"text\": \"Two hours I will never get back. Skip it.\"}")
        );
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var posted = await Body(created);
        var review = posted.GetProperty("review");
        review.GetProperty("predictedSentiment").GetString().ShouldBe("negative");
        review.GetProperty("modelVersion").GetString().ShouldBe("v7");
        posted.GetProperty("authorToken").GetString()!.Length.ShouldBeGreaterThanOrEqualTo(40);
        (await Body(await client.GetAsync("/api/movies/1/score"))).GetProperty("label").GetString().ShouldBe("rotten");

        // A moderator's label is the verified one: it moves the score and reaches training.
        var verify = new HttpRequestMessage(
            HttpMethod.Post,
            $"/api/reviews/{review.GetProperty("id").GetInt64()}/feedback"
        )
        {
            Content = Json("{\"sentiment\": \"positive\"}"),
        };
        verify.Headers.Authorization = new("Bearer", ApiFactory.ModeratorKey);
        var verified = await client.SendAsync(verify);
        verified.StatusCode.ShouldBe(HttpStatusCode.OK);
        var feedback = await Body(verified);
        feedback.GetProperty("source").GetString().ShouldBe("moderator");
        feedback.GetProperty("review").GetProperty("verifiedSentiment").GetString().ShouldBe("positive");
        var score = await Body(await client.GetAsync("/api/movies/1/score"));
        score.GetProperty("freshness").GetDouble().ShouldBe(1.0);
        score.GetProperty("label").GetString().ShouldBe("fresh");
        var detail = await Body(await client.GetAsync("/api/movies/1"));
        detail.GetProperty("reviews").GetArrayLength().ShouldBe(1);
        detail.GetProperty("reviews")[0].TryGetProperty("authorToken", out _).ShouldBeFalse("only its poster sees it");
    }

    [Theory]
    [InlineData("GET", "/api/movies/99", null)]
    [InlineData("GET", "/api/movies/99/score", null)]
    [InlineData("POST", "/api/movies/99/reviews", "{\"text\": \"fine\"}")]
    [InlineData("POST", "/api/reviews/99/feedback", "{\"sentiment\": \"positive\"}")]
    public async Task UnknownMovieOrReview_IsA404Problem(string method, string path, string? body)
    {
        var client = Client();
        client.DefaultRequestHeaders.Add("X-Review-Token", "some-token");
        var response = method == "GET" ? await client.GetAsync(path) : await client.PostAsync(path, Json(body!));

        await AssertProblem(response, HttpStatusCode.NotFound, "There is no");
    }

    [Fact]
    public async Task Feedback_UnknownLabel_IsA400Problem() =>
        await AssertProblem(
            await Client().PostAsync("/api/reviews/1/feedback", Json("{\"sentiment\": \"meh\"}")),
            HttpStatusCode.BadRequest,
            "must be 'positive' or 'negative'"
        );

    [Fact]
    public async Task Health_WithModel_IsLiveAndReady()
    {
        var client = Client();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_WithoutModel_IsLiveButNotReadyAndPredictSays503()
    {
        var client = Client(modelFolder: _folder.Combine("no-model-yet"));

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await Body(ready)).GetProperty("model").GetBoolean().ShouldBeFalse();
        await AssertProblem(
            await client.PostAsync("/api/predict", Json("{\"text\": \"hello\"}")),
            HttpStatusCode.ServiceUnavailable,
            "No model is loaded yet."
        );
    }

    [Fact]
    public async Task Metrics_AfterPredictions_ShowLatencyLabelsAndModelInfo()
    {
        var client = Client();
        await client.PostAsync("/api/predict", Json("{\"text\": \"Skip it. The plot is a mess.\"}"));

        var metrics = await client.GetStringAsync("/metrics");

        metrics.ShouldContain("sentiment_predictions_total{label=\"negative\"}");
        metrics.ShouldContain("sentiment_model_info{version=\"v7\",run_id=\"0123456789abcdef0123456789abcdef\"} 1");
        metrics.ShouldContain("http_request_duration_seconds_bucket");
    }

    [Fact]
    public async Task Logs_EachRequest_IsAJsonLineWithRequestIdEventTypeAndLatency()
    {
        var client = Client();
        await client.PostAsync("/api/predict", Json("{\"text\": \"Skip it.\"}"));
        await client.PostAsync("/api/movies/1/reviews", Json("{\"text\": \"Lovely.\"}"));
        await client.GetAsync("/api/movies/2/score");
        // The request line is written when the pipeline unwinds, which can be just after the client has the response.
        await Eventually.TrueAsync(
            () =>
                _factory!
                    .Logs.ToString()
                    .Contains("\"RequestPath\":\"/api/movies/1/reviews\"", StringComparison.Ordinal)
                && _factory.Logs.ToString().Contains("\"RequestPath\":\"/api/predict\"", StringComparison.Ordinal)
                && _factory
                    .Logs.ToString()
                    .Contains("\"RequestPath\":\"/api/movies/2/score\"", StringComparison.Ordinal),
            "the three request log lines"
        );

        var lines = _factory!
            .Logs.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        var requests = lines.Where(l => l.TryGetProperty("RequestPath", out _)).ToList();

        var prediction = requests.Single(l => l.GetProperty("RequestPath").GetString() == "/api/predict");
        prediction.GetProperty("EventType").GetString().ShouldBe("prediction");
        prediction.GetProperty("RequestId").GetString().ShouldNotBeNullOrEmpty();
        prediction.GetProperty("Elapsed").GetDouble().ShouldBeGreaterThan(0);
        prediction.GetProperty("Sentiment").GetString().ShouldBe("negative");
        requests
            .Single(l => l.GetProperty("RequestPath").GetString() == "/api/movies/1/reviews")
            .GetProperty("EventType")
            .GetString()
            .ShouldBe("review");
        requests
            .Single(l => l.GetProperty("RequestPath").GetString() == "/api/movies/2/score")
            .GetProperty("EventType")
            .GetString()
            .ShouldBe("request");
        lines
            .Select(l => l.TryGetProperty("EventType", out var e) ? e.GetString() : null)
            .ShouldContain("model-reload");
    }

    [Fact]
    public async Task OpenApiAndDocs_AreServed()
    {
        var client = Client();

        var openapi = await client.GetStringAsync("/openapi/v1.json");
        openapi.ShouldContain("/api/predict");
        openapi.ShouldContain("/api/movies/{id}/score");
        (await client.GetAsync("/docs/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/docs/scalar.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WebPage_IsServedAtTheRoot()
    {
        var html = await Client().GetStringAsync("/");

        html.ShouldContain("Rotten Potatoes");
        html.ShouldContain("<meta name=\"viewport\"");
    }

    [Fact]
    public async Task Cors_OnlyConfiguredOriginsAreAllowed()
    {
        var client = Client(
            new Dictionary<string, string?> { ["Sentiment:CorsOrigins:0"] = "https://reviews.example" }
        );

        var allowed = new HttpRequestMessage(HttpMethod.Options, "/api/predict");
        allowed.Headers.Add("Origin", "https://reviews.example");
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        var denied = new HttpRequestMessage(HttpMethod.Options, "/api/predict");
        denied.Headers.Add("Origin", "https://evil.example");
        denied.Headers.Add("Access-Control-Request-Method", "POST");

        (await client.SendAsync(allowed))
            .Headers.GetValues("Access-Control-Allow-Origin")
            .ShouldBe(["https://reviews.example"]);
        (await client.SendAsync(denied)).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }
}
