using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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

    /// <summary>The API on a loopback port and a headless Chromium page (desktop, or a 390×844 phone) on it.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly TempDirectory _folder = new("web-page");
        private IPlaywright? _playwright;

        public ApiFactory Factory { get; private set; } = null!;

        public IBrowser Browser { get; private set; } = null!;

        public IPage Page { get; private set; } = null!;

        public string Url { get; private set; } = "";

        /// <summary>Content-security-policy violations the page reported.</summary>
        public List<string> Violations { get; } = [];

        public static async Task<Session> StartAsync(TrainedModel model, bool phone)
        {
            var session = new Session();
            session.Factory = new ApiFactory(model.ModelFolder, session._folder.Combine("reviews.db"));
            session.Factory.UseKestrel(0);
            session.Factory.StartServer();
            session.Url = session.Factory.ClientOptions.BaseAddress.ToString();
            session._playwright = await Playwright.CreateAsync();
            session.Browser = await session._playwright.Chromium.LaunchAsync(
                new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Pipeline.Testing.Browser.ChromiumPath,
                    Headless = true,
                    Args = Pipeline.Testing.Browser.Arguments,
                }
            );
            session.Page = await session.NewPageAsync(phone);
            return session;
        }

        public async Task<IPage> NewPageAsync(bool phone)
        {
            var page = await Browser.NewPageAsync(
                new BrowserNewPageOptions
                {
                    ViewportSize = phone
                        ? new ViewportSize { Width = 390, Height = 844 }
                        : new ViewportSize { Width = 1280, Height = 800 },
                }
            );
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    Violations.Add(message.Text);
                }
            };
            return page;
        }

        public async Task ScreenshotAsync(string name)
        {
            var screenshots = Path.Combine(Fixtures.RepositoryRoot, "artifacts", "test-results", "screenshots");
            Directory.CreateDirectory(screenshots);
            await Page.ScreenshotAsync(
                new PageScreenshotOptions { Path = Path.Combine(screenshots, name), FullPage = true }
            );
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            _playwright?.Dispose();
            Factory.Dispose();
            _folder.Dispose();
        }
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Page_PredictBrowseAndPost_WorksUnderItsSecurityPolicy(bool phone)
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        await using var session = await Session.StartAsync(model, phone);
        var page = session.Page;
        await page.GotoAsync(session.Url);

        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync("Model Version: v7");
        await page.FillAsync("#review-text", "The chemistry between the two leads is electric. Highly recommended.");
        await page.ClickAsync("#predict-button");
        await Assertions.Expect(page.Locator("#prediction-label")).ToHaveTextAsync("positive");
        await Assertions.Expect(page.Locator("#prediction-status")).ToContainTextAsync("Predicted positive");
        (await page.InnerTextAsync("#prediction-probability")).ShouldMatch(@"^\d{1,3}%$");
        (await page.InnerTextAsync("#prediction-model")).ShouldBe("v7");

        // Choosing a movie brings its detail into view and moves the focus to it.
        await page.ClickAsync("[data-movie-id='8']");
        await Assertions.Expect(page.Locator("#movie-detail")).ToBeInViewportAsync();
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("movie-title");
        await Assertions.Expect(page.Locator("[data-movie-id='8']")).ToHaveAttributeAsync("aria-pressed", "true");

        // The author of a review may correct it once; the page says so to the author only.
        await page.FillAsync("#movie-review", "Two hours I will never get back. Skip it.");
        await page.ClickAsync("#review-button");
        var review = page.Locator("#reviews li").First;
        await Assertions.Expect(review.Locator(".badge")).ToHaveTextAsync("negative");
        await review.Locator("button[aria-label='Mark your review as positive']").ClickAsync();
        await Assertions.Expect(page.Locator("#reviews li").First).ToContainTextAsync("you marked this review");
        await Assertions.Expect(page.Locator("#reviews li").First.Locator("button")).ToHaveCountAsync(0);
        var stranger = await session.NewPageAsync(phone);
        await stranger.GotoAsync(session.Url);
        await stranger.ClickAsync("[data-movie-id='8']");
        var seen = stranger.Locator("#reviews li").First;
        await Assertions.Expect(seen).ToContainTextAsync("predicted");
        (await seen.InnerTextAsync()).ShouldNotContain("you marked");
        await Assertions.Expect(seen.Locator("button")).ToHaveCountAsync(0);

        (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue(
            "the page must fit its viewport"
        );
        session.Violations.ShouldBeEmpty();
        await session.ScreenshotAsync(phone ? "web-page-phone.png" : "web-page-desktop.png");
    }

    [SkippableFact]
    public async Task Page_FailuresOnTheWay_AreShownAsMessagesNotMarkupOrStaleResults()
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        await using var session = await Session.StartAsync(model, phone: true);
        var page = session.Page;
        // A proxy in front answers the movie list with its own HTML error page.
        await page.RouteAsync(
            "**/api/movies",
            route =>
                route.FulfillAsync(
                    new RouteFulfillOptions
                    {
                        Status = 502,
                        ContentType = "text/html",
                        Body = "<html><body><h1>502 Bad Gateway</h1></body></html>",
                    }
                )
        );
        await page.GotoAsync(session.Url);

        await Assertions.Expect(page.Locator("#movies-error")).ToBeVisibleAsync();
        var error = await page.InnerTextAsync("#movies-error");
        error.ShouldContain("502");
        error.ShouldNotContain("<");
        error.ShouldNotContain("JSON.parse");

        // A prediction that works, then one that fails: the old result goes, the error stays.
        await page.FillAsync("#review-text", "Lovely.");
        await page.ClickAsync("#predict-button");
        await Assertions.Expect(page.Locator("#prediction")).ToBeVisibleAsync();
        await page.RouteAsync("**/api/predict", route => route.AbortAsync());
        await page.ClickAsync("#predict-button");
        await Assertions.Expect(page.Locator("#predict-error")).ToContainTextAsync("cannot be reached");
        await Assertions.Expect(page.Locator("#prediction")).ToBeHiddenAsync();
        await session.ScreenshotAsync("web-page-errors-phone.png");
    }

    [SkippableFact]
    public async Task Page_OnAnotherOrigin_CannotFrameIt()
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        await using var session = await Session.StartAsync(model, phone: false);
        var (framing, framingUrl) = await LoopbackWebApp.StartAsync(app =>
            app.MapGet(
                "/",
                () =>
                    Results.Content(
                        $"<html><body><iframe id='victim' src='{session.Url}'></iframe></body></html>",
                        "text/html"
                    )
            )
        );
        await using var _ = framing;

        // The load event waits for the frame, whether it loaded or was refused.
        await session.Page.GotoAsync(framingUrl);

        var frame = session.Page.Frames.Single(f => f != session.Page.MainFrame);
        (await frame.ContentAsync()).ShouldNotContain("Rotten Potatoes");
    }

    [SkippableFact]
    public async Task Docs_UnderTheirPolicy_RenderEveryOperationFromThisHostOnly()
    {
        Skip.If(Browser.UnavailableReason is not null, Browser.UnavailableReason);
        await using var session = await Session.StartAsync(model, phone: false);
        var elsewhere = new List<string>();
        session.Page.Request += (_, request) =>
        {
            if (
                !request.Url.StartsWith(session.Url, StringComparison.Ordinal)
                && !request.Url.StartsWith("data:", StringComparison.Ordinal)
                && !request.Url.StartsWith("blob:", StringComparison.Ordinal)
            )
            {
                elsewhere.Add(request.Url);
            }
        };

        await session.Page.GotoAsync(session.Url + "docs/");

        await Assertions
            .Expect(session.Page.GetByText("Predicts the sentiment of one review").First)
            .ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        elsewhere.ShouldBeEmpty();
        session.Violations.Where(v => v.Contains("script", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();
        await session.ScreenshotAsync("docs-desktop.png");
    }
}
