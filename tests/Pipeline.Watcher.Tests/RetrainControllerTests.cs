using System.Text.RegularExpressions;
using Pipeline.Testing;

namespace Pipeline.Watcher.Tests;

/// <summary>The controller against a loopback Kubernetes API stand-in (no API server runs here) that speaks the real watch protocol.</summary>
[Trait("Category", "Integration")]
public sealed class RetrainControllerTests
{
    private static readonly Regex JobName = new(@"^train-imdb-reviews-\d{8}-\d{6}$");

    [Fact]
    public async Task ConfigChange_StandInApiServer_CreatesExactlyOneJobWithAValidUniqueName()
    {
        await using var lab = await WatcherLab.StartAsync();
        var controller = await lab.StartControllerAsync("replica-a");
        var data = WatcherLab.DataWith("data/train-v2.csv");

        lab.SetConfig(data);
        var job = await lab.SingleJobAsync();

        var name = job["metadata"]!["name"]!.GetValue<string>();
        name.ShouldMatch(JobName.ToString());
        name.Length.ShouldBeLessThanOrEqualTo(63);
        TrainingJobs.IsDnsLabel(name).ShouldBeTrue();
        job["metadata"]!["labels"]![TrainingJobs.HashLabel]!.GetValue<string>().ShouldBe(ConfigChange.HashOf(data));
        job["metadata"]!["annotations"]![TrainingJobs.HashAnnotation]!
            .GetValue<string>()
            .ShouldBe(ConfigChange.HashOf(data));
        job["spec"]!["ttlSecondsAfterFinished"]!.GetValue<int>().ShouldBe(86_400);
        job["spec"]!["backoffLimit"]!.GetValue<int>().ShouldBe(1);
        job["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.ToJsonString().ShouldContain("data/train-v2.csv");

        lab.Server.FinishJob(WatcherLab.Namespace, name, succeeded: true);
        await Eventually.TrueAsync(
            () => lab.AppliedHash() == ConfigChange.HashOf(data),
            "the applied hash on the Deployment"
        );
        lab.Deployment()["spec"]!["template"]!["metadata"]!["annotations"]!
            [RetrainController.RestartedAtAnnotation]
            .ShouldNotBeNull();
        await Eventually.TrueAsync(
            () => controller.Metrics.JobsSucceeded.Value == 1,
            "the success to be counted (just after the patch)"
        );
        lab.Jobs().Count.ShouldBe(1);
        controller.Metrics.JobsStarted.Value.ShouldBe(1);
        controller.Metrics.ChangesSeen.Value.ShouldBe(2); // the state at start, then the edit
    }

    [Fact]
    public async Task PlaylistDatasetSwitch_StandInApiServer_TrainsWithThePlaylistConfigAndRestartsItsApi()
    {
        var ds1 = new Dictionary<string, string>
        {
            ["DATASET_PATH"] = "data/playlists/playlists.csv",
            ["DATASET_NAME"] = "ds1",
            ["MODEL_NAME"] = "playlist",
        };
        var template = Path.Combine(Fixtures.RepositoryRoot, "k8s", "overlays", "playlist", "training-job.yaml");
        await using var lab = await WatcherLab.StartAsync(
            deployment: "playlist-api",
            template: template,
            initialData: ds1
        );
        await lab.StartControllerAsync("replica-a");
        var ds2 = new Dictionary<string, string>(ds1) { ["DATASET_NAME"] = "ds2" };

        lab.SetConfig(ds2);
        var job = await lab.SingleJobAsync();
        var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["args"]!.ToJsonString().ShouldContain("/app/config/playlist.json");
        container["env"]!.ToJsonString().ShouldContain("ds2");
        lab.Server.FinishJob(WatcherLab.Namespace, job["metadata"]!["name"]!.GetValue<string>(), succeeded: true);

        await Eventually.TrueAsync(
            () => lab.AppliedHash() == ConfigChange.HashOf(ds2),
            "the playlist API restarted on ds2"
        );
        lab.Deployment()["spec"]!["template"]!["metadata"]!["annotations"]!
            [RetrainController.RestartedAtAnnotation]
            .ShouldNotBeNull();
    }

    [Fact]
    public async Task TwoRapidChanges_StandInApiServer_GiveOneJobForTheNewestHash()
    {
        await using var lab = await WatcherLab.StartAsync();
        var controller = await lab.StartControllerAsync("replica-a");
        var newest = WatcherLab.DataWith("data/train-v3.csv");

        lab.SetConfig(WatcherLab.DataWith("data/train-v2.csv"));
        lab.SetConfig(newest);
        var job = await lab.SingleJobAsync();
        lab.Server.FinishJob(WatcherLab.Namespace, job["metadata"]!["name"]!.GetValue<string>(), succeeded: true);
        await Eventually.TrueAsync(() => lab.AppliedHash() == ConfigChange.HashOf(newest), "the newest hash applied");

        lab.Jobs().Count.ShouldBe(1);
        job["metadata"]!["labels"]![TrainingJobs.HashLabel]!.GetValue<string>().ShouldBe(ConfigChange.HashOf(newest));
        controller.Metrics.JobsStarted.Value.ShouldBe(1);
    }

    [Fact]
    public async Task FailedJob_StandInApiServer_LeavesTheDeploymentAloneAndEmitsAnEvent()
    {
        await using var lab = await WatcherLab.StartAsync();
        var controller = await lab.StartControllerAsync("replica-a");
        var before = lab.Deployment()["spec"]!.ToJsonString();

        lab.SetConfig(WatcherLab.DataWith("data/broken.csv"));
        var job = await lab.SingleJobAsync();
        var name = job["metadata"]!["name"]!.GetValue<string>();
        lab.Server.FinishJob(WatcherLab.Namespace, name, succeeded: false);
        await Eventually.TrueAsync(
            () =>
                lab
                    .Server.List("v1", "events", WatcherLab.Namespace)
                    .Any(e => e["reason"]?.GetValue<string>() == "TrainingFailed"),
            "a TrainingFailed event"
        );

        var failure = lab
            .Server.List("v1", "events", WatcherLab.Namespace)
            .Single(e => e["reason"]?.GetValue<string>() == "TrainingFailed");
        failure["type"]!.GetValue<string>().ShouldBe("Warning");
        failure["involvedObject"]!["kind"]!.GetValue<string>().ShouldBe("Job");
        failure["involvedObject"]!["name"]!.GetValue<string>().ShouldBe(name);
        failure["message"]!.GetValue<string>().ShouldContain("backoff limit");
        lab.Deployment()["spec"]!.ToJsonString().ShouldBe(before);
        lab.AppliedHash().ShouldBe(ConfigChange.HashOf(WatcherLab.InitialData));
        lab.Log.Lines.ShouldContain(l =>
            l.StartsWith("Error: job-failed", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal)
        );
        controller.Metrics.JobsFailed.Value.ShouldBe(1);
    }

    [Fact]
    public async Task ControllerRestart_StandInApiServer_CreatesNoDuplicateJob()
    {
        await using var lab = await WatcherLab.StartAsync();
        var first = await lab.StartControllerAsync("replica-a");
        var data = WatcherLab.DataWith("data/train-v2.csv");
        lab.SetConfig(data);
        var job = await lab.SingleJobAsync();
        await lab.StopControllerAsync(first); // crashes while its Job still runs

        var second = await lab.StartControllerAsync("replica-b");
        await Eventually.TrueAsync(
            () => lab.Log.Lines.Any(l => l.Contains("job-adopted", StringComparison.Ordinal)),
            "the running Job to be adopted"
        );
        lab.Server.FinishJob(WatcherLab.Namespace, job["metadata"]!["name"]!.GetValue<string>(), succeeded: true);
        await Eventually.TrueAsync(() => lab.AppliedHash() == ConfigChange.HashOf(data), "the applied hash");
        second.Metrics.JobsStarted.Value.ShouldBe(0);
        await lab.StopControllerAsync(second);

        int AppliedBefore() =>
            lab.Log.Lines.Count(l =>
                l.Contains("config-applied-before", StringComparison.Ordinal)
                && l.Contains(ConfigChange.HashOf(data), StringComparison.Ordinal)
            );
        var recognised = AppliedBefore();
        var third = await lab.StartControllerAsync("replica-c");
        await Eventually.TrueAsync(
            () => AppliedBefore() > recognised,
            "the third replica to recognise the applied hash"
        );
        lab.Jobs().Count.ShouldBe(1);
        third.Metrics.JobsStarted.Value.ShouldBe(0);
    }

    [Fact]
    public async Task DroppedWatch_StandInApiServer_ResumesFromTheLastResourceVersion()
    {
        await using var lab = await WatcherLab.StartAsync();
        var controller = await lab.StartControllerAsync("replica-a");
        await Eventually.TrueAsync(() => controller.Watch.ResourceVersion is not null, "a resourceVersion");
        var configGets = lab.Server.Requests.Count(r =>
            r.StartsWith("GET /api/v1/namespaces/ml/configmaps/dataset-config", StringComparison.Ordinal)
        );

        lab.Server.DropWatches();
        await Eventually.TrueAsync(
            () => lab.Log.Lines.Any(l => l.Contains("watch-dropped", StringComparison.Ordinal)),
            "the drop to be noticed"
        );
        await Eventually.TrueAsync(() => controller.Watch.Connected, "the watch to reconnect");
        lab.SetConfig(WatcherLab.DataWith("data/train-v2.csv"));
        await lab.SingleJobAsync();

        var watches = lab
            .Server.Requests.Where(r =>
                r.Contains("watch=true", StringComparison.Ordinal)
                && r.Contains("/configmaps", StringComparison.Ordinal)
            )
            .ToList();
        watches.Count.ShouldBeGreaterThanOrEqualTo(2);
        watches.ShouldAllBe(w => Regex.IsMatch(w, @"resourceVersion=\d+"));
        watches.ShouldAllBe(w => w.Contains("allowWatchBookmarks=true", StringComparison.Ordinal));
        lab.Server.Requests.Count(r =>
                r.StartsWith("GET /api/v1/namespaces/ml/configmaps/dataset-config", StringComparison.Ordinal)
            )
            .ShouldBe(configGets); // resumed, no relist
    }

    [Fact]
    public async Task GoneResourceVersion_StandInApiServer_ListsAgainAndSeesTheMissedChange()
    {
        await using var lab = await WatcherLab.StartAsync();
        var controller = await lab.StartControllerAsync("replica-a");
        var missed = WatcherLab.DataWith("data/train-v2.csv");

        lab.Server.DropWatches();
        lab.SetConfig(missed); // while the controller is away...
        lab.Server.Compact(); // ...and the server forgets the history it would have replayed
        var job = await lab.SingleJobAsync();

        job["metadata"]!["labels"]![TrainingJobs.HashLabel]!.GetValue<string>().ShouldBe(ConfigChange.HashOf(missed));
        lab.Log.Lines.ShouldContain(l => l.Contains("watch-gone", StringComparison.Ordinal));
        lab.Server.Requests.Count(r =>
                r.StartsWith("GET /api/v1/namespaces/ml/configmaps/dataset-config", StringComparison.Ordinal)
            )
            .ShouldBe(2);
        controller.Metrics.JobsStarted.Value.ShouldBe(1);
    }

    [Fact]
    public async Task Bookmarks_StandInApiServer_AdvanceTheResumeVersion()
    {
        await using var lab = await WatcherLab.StartAsync();
        var controller = await lab.StartControllerAsync("replica-a");

        lab.Server.Put(
            new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["name"] = "unrelated",
                    ["namespace"] = WatcherLab.Namespace,
                },
            }
        );
        var latest = lab.Server.ResourceVersion.ToString();

        await Eventually.TrueAsync(
            () => long.Parse(controller.Watch.ResourceVersion ?? "0") >= long.Parse(latest),
            "a bookmark carrying the newer resourceVersion"
        );
        lab.Jobs().ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoReplicas_StandInApiServer_OnlyTheLeaseHolderActs()
    {
        await using var lab = await WatcherLab.StartAsync();
        var leader = await lab.StartControllerAsync("replica-a");
        var standby = await lab.StartControllerAsync("replica-b", expectToLead: false);

        lab.SetConfig(WatcherLab.DataWith("data/train-v2.csv"));
        var job = await lab.SingleJobAsync();
        lab.Server.FinishJob(WatcherLab.Namespace, job["metadata"]!["name"]!.GetValue<string>(), succeeded: true);
        await Eventually.TrueAsync(
            () => lab.AppliedHash() == ConfigChange.HashOf(WatcherLab.DataWith("data/train-v2.csv")),
            "the applied hash"
        );

        lab.Jobs().Count.ShouldBe(1);
        standby.Leadership.IsLeading.ShouldBeFalse();
        standby.Leadership.Leader.ShouldBe("replica-a");
        standby.Metrics.ChangesSeen.Value.ShouldBe(0);
        leader.Metrics.JobsStarted.Value.ShouldBe(1);
        lab.Server.Get("coordination.k8s.io/v1", "leases", WatcherLab.Namespace, "pipeline-watcher")!["spec"]![
            "holderIdentity"
        ]!
            .GetValue<string>()
            .ShouldBe("replica-a");
    }

    [Fact]
    public async Task Once_StandInApiServer_TrainsWaitsRestartsThenFindsNothingToDo()
    {
        await using var lab = await WatcherLab.StartAsync(trainedOnInitialData: false);
        var running = lab.Runtime("cron-1").OnceAsync(CancellationToken.None);

        var job = await lab.SingleJobAsync();
        running.IsCompleted.ShouldBeFalse(); // it waits for the Job
        lab.Server.FinishJob(WatcherLab.Namespace, job["metadata"]!["name"]!.GetValue<string>(), succeeded: true);

        (await running).ShouldBe(RetrainResult.Retrained);
        lab.AppliedHash().ShouldBe(ConfigChange.HashOf(WatcherLab.InitialData));
        (await lab.Runtime("cron-1").OnceAsync(CancellationToken.None)).ShouldBe(RetrainResult.AlreadyApplied);
        lab.Jobs().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Once_StandInApiServer_FailedJobReportsTrainingFailed()
    {
        await using var lab = await WatcherLab.StartAsync(trainedOnInitialData: false);
        var running = lab.Runtime("cron-1").OnceAsync(CancellationToken.None);

        var job = await lab.SingleJobAsync();
        lab.Server.FinishJob(WatcherLab.Namespace, job["metadata"]!["name"]!.GetValue<string>(), succeeded: false);

        (await running).ShouldBe(RetrainResult.TrainingFailed);
        lab.AppliedHash().ShouldBeNull();
        (await lab.Runtime("cron-1").OnceAsync(CancellationToken.None)).ShouldBe(RetrainResult.FailedBefore);
        lab.Jobs().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Once_StandInApiServer_WatcherHoldingTheLeaseIsLeftInCharge()
    {
        await using var lab = await WatcherLab.StartAsync(trainedOnInitialData: false);
        await lab.StartControllerAsync("replica-a");
        var job = await lab.SingleJobAsync(); // the watcher trains on the state it found

        (await lab.Runtime("cron-1").OnceAsync(CancellationToken.None)).ShouldBe(RetrainResult.WatcherInCharge);

        lab.Jobs().ShouldHaveSingleItem()["metadata"]!["name"]!
            .GetValue<string>()
            .ShouldBe(job["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task MissingDeployment_StandInApiServer_LogsAndRetriesInsteadOfStopping()
    {
        await using var lab = await WatcherLab.StartAsync(trainedOnInitialData: false);
        var deployment = lab.Deployment();
        lab.Server.Remove("apps/v1", "deployments", WatcherLab.Namespace, "sentiment-api");
        await lab.StartControllerAsync("replica-a");

        await Eventually.TrueAsync(
            () =>
                lab.Log.Lines.Any(l =>
                    l.Contains("reconcile-failed", StringComparison.Ordinal)
                    && l.Contains("404", StringComparison.Ordinal)
                ),
            "the 404 to be logged"
        );
        lab.Server.Put(deployment);

        await lab.SingleJobAsync(); // the retry found the Deployment
    }

    [Fact]
    public async Task ApiServerOutage_StandInApiServer_WatcherKeepsRunningReleadsAndCatchesUpOnMissedChanges()
    {
        await using var lab = await WatcherLab.StartAsync();
        var runtime = lab.Runtime("replica-a");
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => runtime.WatchAsync(stop.Token));
        await Eventually.TrueAsync(
            () => runtime.Leadership.IsLeading && runtime.Watch.Connected,
            "leading and watching"
        );

        using (lab.Server.Outage())
        {
            // Longer than the lease: leadership is lost while the API server is away.
            await Eventually.TrueAsync(
                () => !runtime.Leadership.IsLeading,
                "the lease to be lost",
                TimeSpan.FromSeconds(20)
            );
            running.IsCompleted.ShouldBeFalse(running.Exception?.ToString());
        }

        // A change made right after the outage, which the broken watch did not carry.
        lab.SetConfig(WatcherLab.DataWith("data/after-outage.csv"));

        await Eventually.TrueAsync(() => runtime.Leadership.IsLeading, "leading again", TimeSpan.FromSeconds(30));
        var job = await lab.SingleJobAsync();
        job["metadata"]!["annotations"]![TrainingJobs.HashAnnotation]!
            .GetValue<string>()
            .ShouldBe(ConfigChange.HashOf(WatcherLab.DataWith("data/after-outage.csv")));
        running.IsCompleted.ShouldBeFalse(running.Exception?.ToString());
        lab.Log.Lines.ShouldNotContain(l => l.Contains("controller-failed", StringComparison.Ordinal));
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }
}
