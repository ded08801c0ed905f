using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Testing;
using Sentiment.Api.Model;

namespace Sentiment.Api.Tests;

public sealed class HotReloadTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    [Fact]
    public async Task Reload_UnderConcurrentRequests_FailsNoRequestAndSwitchesVersion()
    {
        using var folder = new TempDirectory("hot-reload");
        var modelFolder = model.CopyTo(folder.Combine("model"));
        using var factory = new ApiFactory(modelFolder, folder.Combine("reviews.db"));
        var client = factory.CreateClient();
        var host = factory.Services.GetRequiredService<ModelHost>();
        var statuses = new ConcurrentBag<int>();
        var versions = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reloaded = false;

        async Task Load()
        {
            for (
                var i = 0;
                i < 400 && !stop.IsCancellationRequested && !(reloaded && versions.Count(v => v == "v8") > 50);
                i++
            )
            {
                var response = await client.PostAsJsonAsync(
                    "/api/predict",
                    new { text = "Highly recommended, the ending works." }
                );
                statuses.Add((int)response.StatusCode);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                versions.Enqueue(body.GetProperty("model").GetProperty("version").GetString()!);
            }
        }

        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(Load)).ToList();
        while (versions.Count < 50)
        {
            await Task.Delay(10);
        }

        // A new model arrives the way ExtractModel writes one: a new lineage (and zip) in the folder.
        File.WriteAllText(
            Path.Combine(modelFolder, "lineage.json"),
            "{ \"run_id\": \"fedcba9876543210fedcba9876543210\", \"version\": \"8\" }"
        );
        File.SetLastWriteTimeUtc(Path.Combine(modelFolder, "lineage.json"), DateTime.UtcNow.AddSeconds(5));
        host.TryReload("test").ShouldBeTrue();
        reloaded = true;
        await Task.WhenAll(load);

        statuses.ShouldAllBe(s => s == 200);
        var seen = versions.ToList();
        seen.ShouldContain("v7");
        seen.ShouldContain("v8");
        seen.SkipWhile(v => v == "v7").Count(v => v == "v7").ShouldBeLessThanOrEqualTo(4); // only requests already in flight
        (await client.GetFromJsonAsync<JsonElement>("/api/model")).GetProperty("version").GetString().ShouldBe("v8");
    }

    [Fact]
    public async Task StartUp_EmptyModelFolderWithSeed_CopiesTheSeedAndIsReady()
    {
        using var folder = new TempDirectory("seed");
        var empty = Directory.CreateDirectory(folder.Combine("pvc", "current")).FullName;
        using var factory = new ApiFactory(
            empty,
            folder.Combine("reviews.db"),
            new Dictionary<string, string?> { ["Sentiment:SeedModelPath"] = model.ModelFolder }
        );
        var client = factory.CreateClient();

        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        File.Exists(Path.Combine(empty, "model.zip")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(empty, "lineage.json"))
            .ShouldBe(File.ReadAllText(Path.Combine(model.ModelFolder, "lineage.json")));
        Directory.GetDirectories(folder.Combine("pvc")).ShouldHaveSingleItem(); // no staging folder left behind
        factory.Logs.ToString().ShouldContain("model-seeded");
    }

    [Fact]
    public async Task StartUp_ModelFolderWithAModel_IgnoresTheSeed()
    {
        using var folder = new TempDirectory("seed");
        var trained = model.CopyTo(folder.Combine("pvc", "current"));
        File.WriteAllText(
            Path.Combine(trained, "lineage.json"),
            "{ \"run_id\": \"fedcba9876543210fedcba9876543210\", \"version\": \"9\" }"
        );
        using var factory = new ApiFactory(
            trained,
            folder.Combine("reviews.db"),
            new Dictionary<string, string?> { ["Sentiment:SeedModelPath"] = model.ModelFolder }
        );
        var client = factory.CreateClient();

        (await client.GetFromJsonAsync<JsonElement>("/api/model")).GetProperty("version").GetString().ShouldBe("v9");
    }

    [Fact]
    public async Task Reload_BrokenModelFile_KeepsServingTheCurrentModel()
    {
        using var folder = new TempDirectory("hot-reload");
        var modelFolder = model.CopyTo(folder.Combine("model"));
        using var factory = new ApiFactory(modelFolder, folder.Combine("reviews.db"));
        var client = factory.CreateClient();
        var host = factory.Services.GetRequiredService<ModelHost>();
        var before = host.Current!;

        File.WriteAllText(Path.Combine(modelFolder, "model.zip"), "not a zip");
        host.TryReload("test").ShouldBeFalse();

        host.Current.ShouldBeSameAs(before);
        (await client.PostAsJsonAsync("/api/predict", new { text = "Skip it." })).IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact]
    public async Task Reload_ModelArrivesAfterStart_BecomesReadyWithoutRestart()
    {
        using var folder = new TempDirectory("hot-reload");
        var modelFolder = folder.Combine("model");
        using var factory = new ApiFactory(modelFolder, folder.Combine("reviews.db"));
        var client = factory.CreateClient();
        (await client.GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeFalse();

        model.CopyTo(modelFolder);
        factory.Services.GetRequiredService<ModelHost>().TryReload("test").ShouldBeTrue();

        (await client.GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeTrue();
    }
}
