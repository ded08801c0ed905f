using System.Text.Json;
using Pipeline.Testing;
using Pipeline.Tracking;
using Pipeline.Tracking.FileStore;
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

    private TrackedTrainingRequest Request(IModelTrainer trainer, TrainingConfig config, FileTrackingStore store) =>
        new(
            store,
            null,
            trainer,
            new TrainingRequest(
                _folder.Write("data.csv", "review,sentiment\n"),
                _folder.Combine("out"),
                config,
                false,
                _ => { }
            ),
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

    /// <summary>A trainer whose accuracy is fixed; NaN makes it fail the way bad input does.</summary>
    private sealed class FixedTrainer(double accuracy) : IModelTrainer
    {
        public string Name => "fixed";

        public TrainingResult Train(TrainingRequest request, CancellationToken cancellationToken = default)
        {
            if (double.IsNaN(accuracy))
            {
                throw new TrainingDataException("data.csv:2: not enough rows");
            }

            return TrainingOutput.Publish(
                request.OutputDirectory,
                staging =>
                {
                    Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ModelFolder));
                    File.WriteAllText(Path.Combine(staging, TrainingOutput.ModelFolder, "model.bin"), "weights");
                    Directory.CreateDirectory(Path.Combine(staging, TrainingOutput.ReportFolder));
                    File.WriteAllText(Path.Combine(staging, TrainingOutput.ReportFolder, "metrics.json"), "{}");
                },
                (model, reports) =>
                    new TrainingResult(
                        model,
                        reports,
                        new Dictionary<string, double> { ["accuracy"] = accuracy },
                        [],
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
