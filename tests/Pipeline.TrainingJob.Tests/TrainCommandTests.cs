using System.Text.Json;
using Pipeline.Testing;
using Pipeline.Tracking.FileStore;

namespace Pipeline.TrainingJob.Tests;

/// <summary>The training container's entry point, as the continuous-training Job runs it: train, gate, track, extract.</summary>
public sealed class TrainCommandTests
{
    private static readonly string Sample = Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");
    private static readonly string Config = Path.Combine(Fixtures.RepositoryRoot, "config", "training.json");

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await TrainCommand.RunAsync(
            args,
            new Pipeline.Cli.ConsoleIO(
                output,
                error,
                name => name == "PIPELINE_CONFIG_HASH" ? "0123456789abcdef0123456789abcdef" : null
            )
        );
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RunAsync_ExtractTo_TracksTheRunAndReplacesTheServedModel()
    {
        using var folder = new TempDirectory("train-job");
        var served = folder.Write("models/current/model.zip", "the previous model");

        var (exit, output, error) = await RunAsync(
            "--dataset",
            Sample,
            "--config",
            Config,
            "--out",
            folder.Combine("training"),
            "--tracking",
            folder.Combine("mlruns"),
            "--extract-to",
            folder.Combine("models", "current")
        );

        exit.ShouldBe(0, error);
        output.ShouldContain("quality gate passed", Case.Insensitive);
        File.ReadAllText(served).ShouldNotBe("the previous model");
        var lineage = JsonDocument
            .Parse(File.ReadAllText(folder.Combine("models", "current", "lineage.json")))
            .RootElement;
        var runId = lineage.GetProperty("run_id").GetString()!;
        lineage.GetProperty("registered_model").GetString().ShouldBe("sentiment-model");
        var run = await new FileTrackingStore(folder.Combine("mlruns")).GetRunAsync(runId);
        run.Tags["pipeline.gate"].ShouldBe("passed");
        run.Tags["pipeline.dataset_config.hash"].ShouldBe("0123456789abcdef0123456789abcdef");
        Directory.GetDirectories(folder.Combine("models")).ShouldHaveSingleItem(); // no staging folder left behind
    }

    [Fact]
    public async Task RunAsync_PlaylistConfig_RetrainsTheSecondWorkloadWithTheSameJob()
    {
        using var folder = new TempDirectory("train-job");
        var playlists = Path.Combine(Fixtures.RepositoryRoot, "data", "playlists", "playlists.csv");

        var (exit, output, error) = await RunAsync(
            "--dataset",
            playlists,
            "--config",
            Path.Combine(Fixtures.RepositoryRoot, "config", "playlist.json"),
            "--out",
            folder.Combine("training"),
            "--tracking",
            folder.Combine("mlruns"),
            "--extract-to",
            folder.Combine("models", "current")
        );

        exit.ShouldBe(0, error);
        output.ShouldContain("quality gate passed", Case.Insensitive);
        File.Exists(folder.Combine("models", "current", "rules.json")).ShouldBeTrue();
        JsonDocument
            .Parse(File.ReadAllText(folder.Combine("models", "current", "lineage.json")))
            .RootElement.GetProperty("registered_model")
            .GetString()
            .ShouldBe("playlist-model");
    }

    [Fact]
    public async Task RunAsync_EmptyDataset_ExitsTwoAndKeepsTheServedModel()
    {
        using var folder = new TempDirectory("train-job");
        var served = folder.Write("models/current/model.zip", "the previous model");
        var empty = folder.Write("empty.csv", string.Empty);

        var (exit, _, error) = await RunAsync(
            "--dataset",
            empty,
            "--config",
            Config,
            "--out",
            folder.Combine("training"),
            "--tracking",
            folder.Combine("mlruns"),
            "--extract-to",
            folder.Combine("models", "current")
        );

        exit.ShouldBe(2);
        error.ShouldContain(empty);
        File.ReadAllText(served).ShouldBe("the previous model");
    }

    [Fact]
    public async Task RunAsync_MissingDataset_ExitsTwoBeforeTrackingAnything()
    {
        using var folder = new TempDirectory("train-job");
        var missing = folder.Combine("nope.csv");

        var (exit, _, error) = await RunAsync(
            "--dataset",
            missing,
            "--config",
            Config,
            "--tracking",
            folder.Combine("mlruns")
        );

        exit.ShouldBe(2);
        error.ShouldContain($"{missing}: the dataset does not exist.");
        Directory.Exists(folder.Combine("mlruns")).ShouldBeFalse();
    }

    [Fact]
    public async Task RunAsync_DatasetFromDvcRemote_FetchesVerifiesAndTrains()
    {
        using var folder = new TempDirectory("train-job");
        var md5 = Pipeline.DataVersioning.Hashing.ContentHasher.Md5(Sample);
        var remote = folder.Combine("remote");
        Directory.CreateDirectory(Path.Combine(remote, "files", "md5", md5[..2]));
        File.Copy(Sample, Path.Combine(remote, "files", "md5", md5[..2], md5[2..])); // where `dvc push` puts it
        var fetched = folder.Combine("datasets", "imdb.csv");

        var (exit, output, error) = await RunAsync(
            "--dataset",
            fetched,
            "--dataset-md5",
            md5,
            "--dataset-remote",
            remote,
            "--config",
            Config,
            "--out",
            folder.Combine("training"),
            "--tracking",
            folder.Combine("mlruns")
        );

        exit.ShouldBe(0, error);
        output.ShouldContain($"dataset {md5} from {remote}");
        File.ReadAllBytes(fetched).ShouldBe(File.ReadAllBytes(Sample));
    }

    [Fact]
    public async Task RunAsync_CorruptDvcObject_ExitsTwoNamingTheMd5AndTracksNothing()
    {
        using var folder = new TempDirectory("train-job");
        var md5 = Pipeline.DataVersioning.Hashing.ContentHasher.Md5(Sample);
        folder.Write($"remote/files/md5/{md5[..2]}/{md5[2..]}", "review,sentiment\ntampered,positive\n");

        var (exit, _, error) = await RunAsync(
            "--dataset",
            folder.Combine("imdb.csv"),
            "--dataset-md5",
            md5,
            "--dataset-remote",
            folder.Combine("remote"),
            "--config",
            Config,
            "--tracking",
            folder.Combine("mlruns")
        );

        exit.ShouldBe(2);
        error.ShouldContain($"not {md5}; the remote copy is corrupt");
        File.Exists(folder.Combine("imdb.csv")).ShouldBeFalse();
        Directory.Exists(folder.Combine("mlruns")).ShouldBeFalse();
    }

    [Fact]
    public async Task RunAsync_DatasetMissingOnTheRemote_ExitsTwoNamingIt()
    {
        using var folder = new TempDirectory("train-job");
        Directory.CreateDirectory(folder.Combine("remote"));

        var (exit, _, error) = await RunAsync(
            "--dataset",
            folder.Combine("imdb.csv"),
            "--dataset-md5",
            new string('a', 32),
            "--dataset-remote",
            folder.Combine("remote"),
            "--config",
            Config
        );

        exit.ShouldBe(2);
        error.ShouldContain($"dataset {new string('a', 32)} is not there");
    }

    [Fact]
    public async Task RunAsync_UnknownFlag_ExitsTwoNamingIt()
    {
        var (exit, _, error) = await RunAsync("--extract", "/models");

        exit.ShouldBe(2);
        error.ShouldContain("Unknown option '--extract'");
    }
}
