using Microsoft.Playwright;
using Pipeline.Testing;

namespace Sentiment.Api.Tests;

/// <summary>The web page for real: Playwright drives Debian's Chromium against the API on a loopback port.</summary>
[Trait("Category", "Integration")]
public sealed class WebPageTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    [SkippableFact]
    public async Task Page_PlainReviewsTyped_GetTheLabelsAPersonWouldGive()
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        using var folder = new TempDirectory("web-page-plain");
        using var factory = new ApiFactory(model.ModelFolder, folder.Combine("reviews.db"));
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
        await page.GotoAsync(factory.ClientOptions.BaseAddress.ToString());
        var placeholder = await page.GetAttributeAsync("#review-text", "placeholder");
        (string Review, string Label)[] reviews =
        [
            (placeholder!, "positive"),
            ("I loved it.", "positive"),
            ("Great movie.", "positive"),
            ("A beautiful, gripping film with wonderful performances. I loved it.", "positive"),
            ("Really enjoyed it, the cast is great.", "positive"),
            ("Not bad at all, actually quite good.", "positive"),
            ("Terrible movie. I hated it.", "negative"),
            ("Boring, predictable and far too long.", "negative"),
            ("The worst film I have seen in years.", "negative"),
            ("I did not enjoy it.", "negative"),
        ];

        var answers = new List<string>();
        foreach (var (review, _) in reviews)
        {
            // Cleared first, so the answer read is this review's, not the previous one's.
            await page.EvalOnSelectorAsync("#prediction-label", "label => label.textContent = ''");
            await page.FillAsync("#review-text", review);
            await page.ClickAsync("#predict-button");
            await page.WaitForFunctionAsync(
                "() => document.querySelector('#prediction-label').textContent !== ''",
                null,
                new PageWaitForFunctionOptions { Timeout = 10_000 }
            );
            answers.Add((await page.TextContentAsync("#prediction-label"))!);
        }

        answers.ShouldBe(reviews.Select(r => r.Label).ToList());
    }

    [SkippableFact]
    public async Task Page_TypeAReviewAndClick_ShowsSentimentProbabilityAndModelVersion()
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        using var folder = new TempDirectory("web-page");
        using var factory = new ApiFactory(model.ModelFolder, folder.Combine("reviews.db"));
        factory.UseKestrel(0);
        factory.StartServer();
        var url = factory.ClientOptions.BaseAddress.ToString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = Browser.ChromiumPath,
                Headless = true,
                Args = Browser.Arguments,
            }
        );
        var page = await browser.NewPageAsync(
            new BrowserNewPageOptions
            {
                ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            }
        );
        await page.GotoAsync(url);

        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync("Model Version: v7");
        await page.FillAsync("#review-text", "The chemistry between the two leads is electric. Highly recommended.");
        await page.ClickAsync("#predict-button");
        await Assertions.Expect(page.Locator("#prediction-label")).ToHaveTextAsync("positive");
        (await page.InnerTextAsync("#prediction-probability")).ShouldMatch(@"^\d{1,3}%$");
        (await page.InnerTextAsync("#prediction-model")).ShouldBe("v7");

        // Browse to a movie, add a review, then correct its sentiment.
        await page.ClickAsync("[data-movie-id='3']");
        await page.FillAsync("#movie-review", "Two hours I will never get back. Skip it.");
        await page.ClickAsync("#review-form button");
        var review = page.Locator("#reviews li").First;
        await Assertions.Expect(review.Locator(".badge")).ToHaveTextAsync("negative");
        await review.Locator("button[aria-label='Mark review as positive']").ClickAsync();
        await Assertions.Expect(page.Locator("#reviews li").First.Locator(".badge")).ToHaveTextAsync("positive");
        await Assertions.Expect(page.Locator("#movie-score .score")).ToHaveTextAsync("100% fresh");
        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue(
            "the page must fit a phone's width"
        );

        var screenshots = Path.Combine(Fixtures.RepositoryRoot, "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(screenshots, "web-page-phone.png"), FullPage = true }
        );
    }
}
