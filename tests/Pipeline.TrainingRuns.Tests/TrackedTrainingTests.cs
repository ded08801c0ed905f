using System.Text.Json;
using Pipeline.Testing;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
using Pipeline.Tracking.Rest;
using Pipeline.Training;

namespace Pipeline.TrainingRuns.Tests;

/// <summary>A training inside a tracked run, with a stand-in trainer whose metrics the test chooses, in a real FileStore.</summary>
public sealed class TrackedTrainingTests : IDisposable
{
    private readonly TempDirectory _folder = new("tracked-training");

    public void Dispose() => _folder.Dispose();

    private TrainingConfig Config(double floor = 0.5)
    {
        var path = _folder.Write(
            "training.json",
            JsonSerializer.Serialize(
                new
                {
                    model = "fixed",
                    experiment = "exp",
                    registered_model = "fixed-model",
                    gate = new { floors = new { accuracy = floor } },
                }
            )
        );
        return TrainingConfig.Load(path, []);
    }

    private TrackedTrainingRequest Request(
        IModelTrainer trainer,
        TrainingConfig config,
        ITrackingStore store,
        string data = "review,sentiment\n"
    ) =>
        new(
            store,
            null,
            trainer,
            new TrainingRequest(_folder.Write("data.csv", data), _folder.Combine("out"), config, false, _ => { }),
            "fixed-run",
            new Dictionary<string, string> { ["pipeline.version"] = "test" },
            "data.csv",
            _ => { }
        );

    [Fact]
    public async Task RunAsync_GatePasses_RecordsEverythingAndRegistersAChallenger()
    {
        var store = new FileTrackingStore(_folder.Combine("mlruns"));

        var result = await TrackedTraining.RunAsync(Request(new FixedTrainer(0.9), Config(), store));

        result.Gate.Passed.ShouldBeTrue();
        var run = await store.GetRunAsync(result.Run.Info.RunId);
        run.Info.Status.ShouldBe(RunStatus.Finished);
        run.Metrics["accuracy"].Value.ShouldBe(0.9);
        run.Params["kind"].ShouldBe("fixed");
        run.Tags["pipeline.gate"].ShouldBe("passed");
        run.Tags["pipeline.version"].ShouldBe("test");
        (await store.ListArtifactsAsync(run.Info, "model")).Select(a => a.Path).ShouldContain("model/MLmodel");
        result.Version!.Version.ShouldBe("1");
        (await store.GetModelVersionByAliasAsync("fixed-model", ModelRegistry.ChallengerAlias)).RunId.ShouldBe(
            run.Info.RunId
        );
        (await store.GetMetricHistoryAsync(run.Info.RunId, "epoch_accuracy"))
            .Select(m => m.Timestamp)
            .ShouldBe([EpochOneTime, EpochOneTime + 1500]);
        var input = store.ReadInputs(run.Info.RunId).ShouldHaveSingleItem();
        (input.Name, input.Digest, input.Tags[DatasetInput.ContextTag]).ShouldBe(
            ("data.csv", "d41d8cd98f00b204e9800998ecf8427e", "training")
        );
    }

    [Fact]
    public async Task RunAsync_GateFails_FinishesTheRunWithTheVerdictAndRegistersNothing()
    {
        var store = new FileTrackingStore(_folder.Combine("mlruns"));

        var result = await TrackedTraining.RunAsync(Request(new FixedTrainer(0.4), Config(floor: 0.5), store));

        result.Gate.Passed.ShouldBeFalse();
        result.Version.ShouldBeNull();
        var run = await store.GetRunAsync(result.Run.Info.RunId);
        run.Info.Status.ShouldBe(RunStatus.Finished);
        run.Tags["pipeline.gate"].ShouldBe("failed");
        run.Tags["pipeline.gate.detail"].ShouldContain("accuracy 0.4000 < floor 0.5000");
        (await store.GetRegisteredModelAsync("fixed-model")).ShouldBeNull();
    }

    [Fact]
    public async Task RunAsync_TrainerThrows_EndsTheRunFailedWithTheReason()
    {
        var store = new FileTrackingStore(_folder.Combine("mlruns"));
        string? runId = null;
        var request = Request(new FixedTrainer(double.NaN), Config(), store) with
        {
            Started = run => runId = run.Info.RunId,
        };

        (await Should.ThrowAsync<TrainingDataException>(() => TrackedTraining.RunAsync(request))).Message.ShouldBe(
            "data.csv:2: not enough rows"
        );

        var run = await store.GetRunAsync(runId!);
        run.Info.Status.ShouldBe(RunStatus.Failed);
        run.Tags["pipeline.failure"].ShouldBe("data.csv:2: not enough rows");
    }

    [Fact]
    public void Find_UnknownModel_ListsTheKnownTrainers()
    {
        var config = TrainingConfig.Load(_folder.Write("other.json", "{ \"model\": \"playlists\" }"), []);

        Should
            .Throw<TrainingDataException>(() => TrackedTraining.Find([new FixedTrainer(1)], config))
            .Message.ShouldEndWith("model 'playlists' has no trainer; known: fixed.");
    }

    [Fact]
    public async Task RunAsync_DatasetChanged_RescoresTheChampionOnTheChallengersRows()
    {
        var store = new FileTrackingStore(_folder.Combine("mlruns"));
        var first = await TrackedTraining.RunAsync(
            Request(new FixedTrainer(0.9), Config(floor: 0.3), store, "difficulty=1.0\n")
        );
        await new ModelRegistry(store).PromoteAsync("fixed-model", first.Version!.Version);

        // Harder rows: the champion's logged 0.9 would beat the challenger's 0.475; on these rows it scores 0.45.
        var result = await TrackedTraining.RunAsync(
            Request(new FixedTrainer(0.95), Config(floor: 0.3), store, "difficulty=0.5\n")
        );

        result.Champion!.Rescored.ShouldBeTrue();
        result.Champion.Metrics["accuracy"].ShouldBe(0.45, 1e-9);
        result.Gate.Passed.ShouldBeTrue();
        result.Gate.Checks.ShouldContain(c =>
            c.Contains("vs champion fixed-model v1 0.4500 on the same evaluation rows")
        );
        var run = await store.GetRunAsync(result.Run.Info.RunId);
        run.Metrics[TrainingTracking.ChampionMetricPrefix + "accuracy"].Value.ShouldBe(0.45, 1e-9);
        run.Tags["pipeline.champion"].ShouldContain("re-scored on this run's evaluation rows");
    }

    [Fact]
    public async Task RunAsync_ChampionCannotBeRescored_ComparesWithItsLoggedMetricsAndWarns()
    {
        var store = new FileTrackingStore(_folder.Combine("mlruns"));
        var first = await TrackedTraining.RunAsync(Request(new FixedTrainer(0.9), Config(), store));
        await new ModelRegistry(store).PromoteAsync("fixed-model", first.Version!.Version);
        var warnings = new List<string>();

        var result = await TrackedTraining.RunAsync(
            Request(new FixedTrainer(0.8, evaluateThrows: true), Config(), store) with
            {
                Warn = warnings.Add,
            }
        );

        result.Champion!.Rescored.ShouldBeFalse();
        result.Gate.Passed.ShouldBeFalse();
        result.Gate.Failures.ShouldContain(f =>
            f.Contains("vs champion fixed-model v1 0.9000 as logged in its own run")
        );
        warnings.ShouldContain(w => w.Contains("could not be re-scored (old model format)"));
    }

    [Fact]
    public async Task RunAsync_RegistryUnreachable_FailsClosedNamingTheFlag()
    {
        using var server = new MlflowRestStore($"http://127.0.0.1:{LoopbackPort.Free()}", _ => null, RetryPolicy.None);
        var request = Request(new FixedTrainer(0.9), Config(), server) with
        {
            Fallback = new FileTrackingStore(_folder.Combine("mlruns")),
        };

        var result = await TrackedTraining.RunAsync(request);

        result.Gate.Passed.ShouldBeFalse();
        result.Gate.Failures.ShouldHaveSingleItem().ShouldContain("the champion is unknown");
        result.Gate.Failures[0].ShouldContain("--allow-no-champion");
        result.Version.ShouldBeNull();
    }

    [Fact]
    public async Task RunAsync_RegistryUnreachableAndAllowed_PassesWithAWarning()
    {
        using var server = new MlflowRestStore($"http://127.0.0.1:{LoopbackPort.Free()}", _ => null, RetryPolicy.None);
        var warnings = new List<string>();
        var request = Request(new FixedTrainer(0.9), Config(), server) with
        {
            Fallback = new FileTrackingStore(_folder.Combine("mlruns")),
            AllowNoChampion = true,
            Warn = warnings.Add,
        };

        var result = await TrackedTraining.RunAsync(request);

        result.Gate.Passed.ShouldBeTrue();
        result.Champion.ShouldBeNull();
        warnings.ShouldContain(w => w.Contains("training without the comparison, as allowed"));
    }

    /// <summary>
    /// A trainer of fixed skill: the model file holds the skill, and a model scores skill × the data's difficulty
    /// (a <c>difficulty=</c> line, else 1), so a champion re-scored on other data scores differently. NaN fails the
    /// way bad input does.
    /// </summary>
    private const long EpochOneTime = 1_795_000_000_000;

    private sealed class FixedTrainer(double skill, bool evaluateThrows = false) : IModelTrainer
    {
        public string Name => "fixed";

        public string Flavor => "fixed";

        private static double Difficulty(TrainingRequest request) =>
            File.ReadLines(request.DatasetPath)
                .Where(l => l.StartsWith("difficulty=", StringComparison.Ordinal))
                .Select(l => double.Parse(l["difficulty=".Length..], System.Globalization.CultureInfo.InvariantCulture))
                .DefaultIfEmpty(1.0)
                .First();

        public IReadOnlyDictionary<string, double> Evaluate(
            string modelDirectory,
            TrainingRequest request,
            CancellationToken cancellationToken = default
        )
        {
            if (evaluateThrows)
            {
                throw new InvalidDataException("old model format");
            }

            var stored = double.Parse(
                File.ReadAllText(Path.Combine(modelDirectory, "model.bin")),
                System.Globalization.CultureInfo.InvariantCulture
            );
            return new Dictionary<string, double> { ["accuracy"] = stored * Difficulty(request) };
        }

        public TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default)
        {
            if (double.IsNaN(skill))
            {
                throw new TrainingDataException("data.csv:2: not enough rows");
            }

            return TrainingOutput.Publish(
                request.OutputDirectory,
                staging =>
                {
                    Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ModelFolder));
                    File.WriteAllText(
                        Path.Combine(staging, TrainingOutput.ModelFolder, "model.bin"),
                        skill.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    );
                    Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ReportFolder));
                    File.WriteAllText(Path.Combine(staging, TrainingOutput.ReportFolder, "metrics.json"), "{}");
                },
                (model, reports) =>
                    new TrainingResult(
                        model,
                        reports,
                        new Dictionary<string, double> { ["accuracy"] = skill * Difficulty(request) },
                        [
                            new MetricPoint("epoch_accuracy", skill - 0.1, 1, EpochOneTime),
                            new MetricPoint("epoch_accuracy", skill, 2, EpochOneTime + 1500),
                        ],
                        new Dictionary<string, string> { ["kind"] = "fixed" },
                        new ModelSignature([], []),
                        new DatasetSummary(request.DatasetPath, "d41d8cd98f00b204e9800998ecf8427e", 0, 0, 0, []),
                        "fixed",
                        new Dictionary<string, object?>()
                    )
            );
        }
    }
}
