using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Pipeline.Testing;
using Playlist.Api.Apis;
using Playlist.Model;

namespace Playlist.Api.Tests;

/// <summary>A model trained on a generated sample, served by the real app in process (WebApplicationFactory).</summary>
public sealed class PlaylistApiFixture : IDisposable
{
    private readonly TempDirectory _folder = new("playlist-api");

    public PlaylistApiFixture()
    {
        var csv = new StringWriter();
        PlaylistSample.Write(csv, 400, seed: 11);
        var data = PlaylistData.Read(new StringReader(csv.ToString()), "sample");
        var model = PlaylistTrainer.Fit(
            data.Tracks,
            data.Playlists,
            new PlaylistParameters(1, 0.2, 0.01, 0.05, 3, 10, 0.01, 500),
            out _
        );
        model.Save(_folder.Path);
        Model = model;
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("Playlist:ModelPath", _folder.Path).UseSetting("Playlist:ManagementPort", "0")
        );
    }

    public RuleSet Model { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        _folder.Dispose();
    }
}

public sealed class PlaylistApiTests(PlaylistApiFixture fixture) : IClassFixture<PlaylistApiFixture>
{
    private static readonly string[] Unknown = ["Nothing — Nobody"];

    private readonly HttpClient _client = fixture.Factory.CreateClient();

    [Fact]
    public async Task Recommend_KnownSeeds_ListsTheModelsRecommendationsWithoutTheSeeds()
    {
        var seeds = fixture
            .Model.Rules.OrderByDescending(r => r.Confidence)
            .First()
            .Antecedent.Select(a => fixture.Model.Tracks[a])
            .ToArray();

        var response = await _client.PostAsJsonAsync("/api/recommend", new { tracks = seeds, count = 5 });
        var body = await response.Content.ReadFromJsonAsync<RecommendResponse>();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body!.Recommendations.Count.ShouldBe(5);
        body.Recommendations.Select(r => r.Track).ShouldBe(fixture.Model.Recommend(seeds, 5).Select(r => r.Track));
        body.Recommendations.ShouldNotContain(r => seeds.Contains(r.Track));
        body.Unknown.ShouldBeEmpty();
    }

    [Fact]
    public async Task Recommend_UnknownSeed_IsNamedAndPopularTracksFill()
    {
        var response = await _client.PostAsJsonAsync("/api/recommend", new { tracks = Unknown });
        var body = await response.Content.ReadFromJsonAsync<RecommendResponse>();

        body!.Unknown.ShouldBe(["Nothing — Nobody"]);
        body.Recommendations.Count.ShouldBe(10);
    }

    [Theory]
    [InlineData("{\"tracks\": [\"a\"], \"count\": 0}", "count")]
    [InlineData("{\"count\": 3}", "tracks")]
    [InlineData("{\"tracks\": \"not a list\"}", "tracks")]
    public async Task Recommend_BadBody_IsA400NamingTheField(string json, string field)
    {
        var response = await _client.PostAsync(
            "/api/recommend",
            new StringContent(json, Encoding.UTF8, "application/json")
        );

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain($"\"field\":\"{field}\"");
    }

    [Fact]
    public async Task Recommend_NotJson_IsA415()
    {
        var response = await _client.PostAsync(
            "/api/recommend",
            new StringContent("{\"tracks\": []}", Encoding.UTF8, "text/plain")
        );

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Tracks_Search_FindsCatalogTracksCaseInsensitively()
    {
        var someone = fixture.Model.Tracks[0].Split(" — ")[1];

        var body = await _client.GetFromJsonAsync<TrackList>(
            $"/api/tracks?search={Uri.EscapeDataString(someone.ToUpperInvariant())}&limit=5"
        );

        body!.Tracks.ShouldNotBeEmpty();
        body.Tracks.ShouldAllBe(t => t.Contains(someone, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Service_Page_HealthMetricsAndOpenApi_AnswerWithSecurityHeaders()
    {
        var page = await _client.GetAsync("/");
        var ready = await _client.GetAsync("/health/ready");
        var openApi = await _client.GetStringAsync("/openapi/v1.json");
        await _client.PostAsJsonAsync("/api/recommend", new { tracks = new[] { fixture.Model.Tracks[0] } });
        var metrics = await _client.GetStringAsync("/metrics");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        page.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        openApi.ShouldContain("/api/recommend");
        metrics.ShouldContain("playlist_recommendations_total");
    }

    [Fact]
    public void Load_ModelsVolumeStillEmpty_ServesTheSeedModelFromTheImage()
    {
        using var empty = new TempDirectory("models");
        using var seed = new TempDirectory("seed");
        fixture.Model.Save(seed.Path);

        var loaded = LoadedModel.Load(empty.Path, seed.Path);

        loaded.Directory.ShouldBe(seed.Path);
        loaded.Rules.Rules.Count.ShouldBe(fixture.Model.Rules.Count);
    }
}
