using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Pipeline.Training;
using Playlist.Model;

namespace Pipeline.Bench;

/// <summary>
/// The playlist workload's targets: training on 100,000 generated playlist rows (whole Train: read, split, mine, rules,
/// evaluate, write), and recommendation latency on loopback against the real API process: a bounded number of
/// sequential POST /api/recommend requests with 1 to 8 seed tracks, after a warm-up, reporting p50 and p99.
/// </summary>
internal static class PlaylistBench
{
    public static void Run(int runs)
    {
        var work = Directory.CreateTempSubdirectory("playlist-bench-").FullName;
        try
        {
            var data = Path.Combine(work, "playlists.csv");
            using (var writer = new StreamWriter(data))
            {
                PlaylistSample.Write(writer, 9_200, seed: 7);
            }

            var rows = File.ReadLines(data).Count() - 1;
            var config = Path.Combine(work, "playlist.json");
            File.Copy(Path.Combine(Root, "config", "playlist.json"), config);
            var trainer = new PlaylistTrainer();
            TrainingResult? result = null;
            var train = Measure.Median(
                runs,
                () => { },
                () =>
                    result = trainer.Train(
                        new TrainingRequest(
                            data,
                            Path.Combine(work, "out"),
                            TrainingConfig.Load(config, []),
                            false,
                            _ => { }
                        )
                    )
            );
            Console.WriteLine(
                $"| playlist training, {rows:N0} rows ({result!.Metrics["playlists"]:N0} playlists) | median of {runs} | {train.TotalSeconds:0.00} s | hit rate@10 {result.Metrics["hit_rate_at_10"]:P1}, {result.Metrics["rules"]:N0} rules |"
            );
            Serve(result.ModelDirectory, data);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Root => Testing.Fixtures.RepositoryRoot;

    private static void Serve(string model, string data)
    {
        var api = Path.Combine(
            Root,
            "src",
            "Playlist.Api",
            "bin",
            "Release",
            "net10.0",
            "linux-x64",
            "Playlist.Api.dll"
        );
        var port = Testing.LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(api),
            Environment = { ["DOTNET_GCgen0size"] = "0x4000000", ["DOTNET_TieredPGO"] = "0" },
        };
        foreach (var argument in new[] { api, "--urls", $"http://127.0.0.1:{port}", $"--Playlist:ModelPath={model}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Ready(http) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            var tracks = PlaylistData.Load(data).Tracks;
            var random = new Random(3);
            object Body() =>
                new
                {
                    tracks = Enumerable
                        .Range(0, 1 + random.Next(8))
                        .Select(_ => tracks[random.Next(tracks.Count)])
                        .ToArray(),
                };
            for (var i = 0; i < 2_000; i++)
            {
                http.PostAsJsonAsync("/api/recommend", Body()).Result.EnsureSuccessStatusCode();
            }

            var latencies = new List<double>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 10_000 && clock.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                var body = Body();
                var one = Stopwatch.StartNew();
                http.PostAsJsonAsync("/api/recommend", body).Result.EnsureSuccessStatusCode();
                latencies.Add(one.Elapsed.TotalMilliseconds);
            }

            latencies.Sort();
            double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, p * latencies.Count)];
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| playlist recommend, loopback, 1 connection | {latencies.Count:N0} requests | p50 {Percentile(0.50):0.00} ms, p99 {Percentile(0.99):0.00} ms | max {latencies[^1]:0.00} ms |"
                )
            );
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static bool Ready(HttpClient http)
    {
        try
        {
            return http.GetAsync("/health/ready").Result.IsSuccessStatusCode;
        }
        catch (AggregateException)
        {
            return false;
        }
    }
}
