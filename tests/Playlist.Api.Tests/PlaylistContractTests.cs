using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pipeline.Testing;

namespace Playlist.Api.Tests;

/// <summary>The playlist API's contract (its checked-in OpenAPI document) and its page in a real browser.</summary>
public sealed class PlaylistContractTests(PlaylistApiFixture fixture) : IClassFixture<PlaylistApiFixture>
{
    private static readonly string CheckedIn = Path.Combine(
        Fixtures.RepositoryRoot,
        "src",
        "Playlist.Api",
        "openapi",
        "v1.json"
    );

    [Fact]
    public async Task Served_OpenApiDocument_EqualsTheCheckedInOne()
    {
        var served = CheckedInDocument.Canonical(
            JsonNode.Parse(await fixture.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!
        );

        CheckedInDocument.ShouldEqualCheckedIn(served, CheckedIn);
    }

    [Trait("Category", "Integration")]
    [SkippableFact]
    public async Task Page_TracksChosenInChromium_ShowsRecommendationsUnderTheSecurityPolicy()
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        using var factory = fixture.Factory.WithWebHostBuilder(_ => { });
        factory.UseKestrel(0);
        factory.StartServer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = Browser.ChromiumPath,
                Headless = true,
                Args = Browser.Arguments,
            }
        );
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        var seed = fixture.Model.Rules.OrderByDescending(r => r.Confidence).First().Antecedent[0];
        var artist = fixture.Model.Tracks[seed].Split(" — ")[1];

        await page.GotoAsync(factory.ClientOptions.BaseAddress.ToString());
        await page.FillAsync("#search", artist);
        await page.WaitForFunctionAsync(
            "() => document.querySelectorAll('#matches li').length > 0",
            null,
            new PageWaitForFunctionOptions { Timeout = 10_000 }
        );
        await page.ClickAsync("#matches li button");
        await page.ClickAsync("#recommend");
        await page.WaitForFunctionAsync(
            "() => document.querySelectorAll('#results li').length > 0",
            null,
            new PageWaitForFunctionOptions { Timeout = 10_000 }
        );

        (await page.Locator("#seeds li").CountAsync()).ShouldBe(1);
        (await page.Locator("#results li").CountAsync()).ShouldBe(10);
        violations.ShouldBeEmpty();
    }
}
