using System.Net;
using Pipeline.Testing;

namespace Pipeline.Watcher.Tests;

public sealed class WatcherAppTests
{
    private static async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        var error = new StringWriter();
        var exit = await WatcherApp.RunAsync(args, new Pipeline.Cli.ConsoleIO(new StringWriter(), error, _ => null));
        return (exit, error.ToString());
    }

    [Fact]
    public void ToOptions_FlagsAndEnvironment_FlagsWin()
    {
        var settings = new WatchCommand.Settings
        {
            Namespace = "ml",
            Debounce = 2.5,
            Once = true,
        };

        var options = settings.ToOptions(name =>
            name switch
            {
                "POD_NAMESPACE" => "from-env",
                "POD_NAME" => "watcher-0",
                _ => null,
            }
        );

        options.Namespace.ShouldBe("ml");
        options.Identity.ShouldBe("watcher-0");
        options.Debounce.ShouldBe(TimeSpan.FromSeconds(2.5));
        options.Once.ShouldBeTrue();
        options.Urls.ShouldBe("http://127.0.0.1:8080"); // loopback unless told otherwise
    }

    [Theory]
    [InlineData("--bogus", "Unknown option '--bogus'")]
    [InlineData("--debounce=soon", "--debounce: 'soon' is not a valid number")]
    [InlineData("--namespace=Not_Valid", "--namespace: 'Not_Valid' is not a valid Kubernetes name")]
    [InlineData("--deployment", "Option 'deployment' is defined but no value has been provided")]
    [InlineData("--job-backoff-limit=1.5", "--job-backoff-limit: '1.5' is not a valid whole number")]
    [InlineData("--job-poll=-1", "--job-poll: -1 is negative")]
    public async Task RunAsync_BadFlag_ExitsTwoNamingIt(string flag, string message)
    {
        var (exit, error) = await RunAsync(flag);

        exit.ShouldBe(2);
        error.ShouldContain(message);
    }

    [Fact]
    public async Task RunAsync_UnreadableKubeconfig_ExitsTwo() =>
        (await RunAsync("--once", "--kubeconfig", "/nonexistent/kubeconfig")).Exit.ShouldBe(2);

    [Trait("Category", "Integration")]
    [Fact]
    public async Task HealthAndMetrics_StandInApiServer_ReportLeadershipAndCounters()
    {
        await using var lab = await WatcherLab.StartAsync();
        var port = LoopbackPort.Free();
        var options = lab.Options("replica-a") with
        {
            Urls = $"http://127.0.0.1:{port}",
            Kubeconfig = lab.Server.WriteKubeconfig(lab.Folder.Combine("kubeconfig")),
        };
        await using var app = WatcherApp.Build(options);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        (await http.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.TrueAsync(
            async () =>
                (await http.GetStringAsync("/health/live")).Length > 0
                && (await http.GetAsync("/health/ready")) is { StatusCode: HttpStatusCode.OK } ready
                && (await ready.Content.ReadAsStringAsync()).Contains(
                    "\"watchConnected\":true",
                    StringComparison.Ordinal
                ),
            "readiness with an open watch"
        );
        var metrics = await http.GetStringAsync("/metrics");

        metrics.ShouldContain("pipeline_watcher_leader 1");
        metrics.ShouldContain("pipeline_watcher_config_changes_total 1");
        metrics.ShouldContain("pipeline_watcher_jobs_started_total 0");
        metrics.ShouldContain("pipeline_watcher_jobs_failed_total 0");
        (await http.GetStringAsync("/health/ready")).ShouldContain("\"leading\":true");
        await app.StopAsync();
    }

    [Fact]
    public async Task RunAsync_ApiServerRefusesTheCredential_ExitsNonZeroNotZero()
    {
        await using var lab = await WatcherLab.StartAsync();
        lab.Server.ForbidAll = true;
        var options = lab.Options("replica-a") with
        {
            Kubeconfig = lab.Server.WriteKubeconfig(lab.Folder.Combine("kubeconfig")),
            Urls = $"http://127.0.0.1:{LoopbackPort.Free()}",
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exit = await WatcherApp.RunAsync(options, timeout.Token);

        timeout.IsCancellationRequested.ShouldBeFalse("it must stop on its own");
        exit.ShouldBe(Pipeline.Cli.ConsoleApp.Crashed);
    }
}
