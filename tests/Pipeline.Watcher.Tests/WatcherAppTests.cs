using System.Net;
using Pipeline.Testing;
using Shouldly;
using Xunit;

namespace Pipeline.Watcher.Tests;

public sealed class WatcherAppTests
{
    [Fact]
    public void Parse_FlagsAndEnvironment_FlagsWin()
    {
        var options = WatcherOptions.Parse(["--namespace", "ml", "--debounce=2.5", "--once"], name => name switch { "POD_NAMESPACE" => "from-env", "POD_NAME" => "watcher-0", _ => null });

        options.Namespace.ShouldBe("ml");
        options.Identity.ShouldBe("watcher-0");
        options.Debounce.ShouldBe(TimeSpan.FromSeconds(2.5));
        options.Once.ShouldBeTrue();
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--debounce=soon", "--debounce: 'soon' is not a number of seconds.")]
    [InlineData("--namespace=Not_Valid", "--namespace: 'Not_Valid' is not a valid Kubernetes name")]
    [InlineData("--deployment", "--deployment needs a value.")]
    [InlineData("--job-backoff-limit=1.5", "--job-backoff-limit: '1.5' is not a whole number.")]
    public void Parse_BadFlag_NamesIt(string flag, string message) =>
        Should.Throw<WatcherOptionsException>(() => WatcherOptions.Parse([flag], _ => null)).Message.ShouldContain(message);

    [Fact]
    public async Task RunAsync_BadFlag_ExitsTwo() =>
        (await WatcherApp.RunAsync(["--bogus"])).ShouldBe(2);

    [Fact]
    public async Task RunAsync_UnreadableKubeconfig_ExitsTwo() =>
        (await WatcherApp.RunAsync(["--once", "--kubeconfig", "/nonexistent/kubeconfig"])).ShouldBe(2);

    [Fact]
    public async Task HealthAndMetrics_StandInApiServer_ReportLeadershipAndCounters()
    {
        await using var lab = await WatcherLab.StartAsync();
        var port = LoopbackPort.Free();
        var options = lab.Options("replica-a") with { Urls = $"http://127.0.0.1:{port}", Kubeconfig = lab.Server.WriteKubeconfig(lab.Folder.Combine("kubeconfig")) };
        await using var app = WatcherApp.Build(options);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        (await http.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/health/live")).Length > 0
            && (await http.GetAsync("/health/ready")) is { StatusCode: HttpStatusCode.OK } ready
            && (await ready.Content.ReadAsStringAsync()).Contains("\"watchConnected\":true", StringComparison.Ordinal), "readiness with an open watch");
        var metrics = await http.GetStringAsync("/metrics");

        metrics.ShouldContain("pipeline_watcher_leader 1");
        metrics.ShouldContain("pipeline_watcher_config_changes_total 1");
        metrics.ShouldContain("pipeline_watcher_jobs_started_total 0");
        metrics.ShouldContain("pipeline_watcher_jobs_failed_total 0");
        (await http.GetStringAsync("/health/ready")).ShouldContain("\"leading\":true");
        await app.StopAsync();
    }
}
