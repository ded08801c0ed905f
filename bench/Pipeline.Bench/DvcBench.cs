using System.Diagnostics;
using System.Globalization;
using Pipeline.DataVersioning.Operations;

namespace Pipeline.Bench;

/// <summary>Issue 3's targets: a verified pull of ~66 MB into a cold cache beside cp, and add of 10,000 small files.</summary>
internal static class DvcBench
{
    public static void Run(int runs)
    {
        var work = Directory.CreateTempSubdirectory("pipeline-bench-dvc-").FullName;
        try
        {
            Pull(work, runs);
            Add(work, runs);
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static void Pull(string work, int runs)
    {
        // About 66 MB: the 25k-review file twice over, built here and never committed.
        var repo = Path.Combine(work, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "data"));
        var data = Path.Combine(repo, "data", "reviews.csv");
        var source = Measure.SharedData("imdb-train-25k.csv");
        using (var output = File.Create(data))
        {
            for (var i = 0; i < 2; i++)
            {
                using var input = File.OpenRead(source);
                input.CopyTo(output);
            }
        }

        var size = new FileInfo(data).Length;
        var repository = DvcRepository.Init(repo);
        File.WriteAllText(
            Path.Combine(repo, ".dvc", "config"),
            "[core]\n    remote = local\n['remote \"local\"']\n    url = ../../remote\n"
        );
        repository = DvcRepository.Open(repo);
        DataAdd.Add(repository, "data/reviews.csv");
        new DataTransfer(repository, new TransferOptions()).PushAsync(null).GetAwaiter().GetResult();

        var copyTarget = Path.Combine(work, "copy.csv");
        var mb = size / 1_000_000.0;
        foreach (var fromDisk in new[] { true, false })
        {
            var label = fromDisk ? "page cache dropped (disk)" : "warm page cache (memory)";
            if (fromDisk && !Measure.DropPageCache())
            {
                Console.WriteLine("| (the page cache cannot be dropped here; disk numbers skipped) | | |");
                continue;
            }

            var cp = Measure.Median(
                runs,
                () => Reset(copyTarget, null, fromDisk),
                () => Process.Start("cp", [data, copyTarget])!.WaitForExit()
            );
            var pull = Measure.Median(
                runs,
                () => Reset(data, Path.Combine(repo, ".dvc", "cache"), fromDisk),
                () => DataPull.PullAsync(DvcRepository.Open(repo), null, new TransferOptions()).GetAwaiter().GetResult()
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| pull into an empty DVC cache, verified ({mb:0.0} MB, local remote), {label} | {pull.TotalSeconds:0.000} s | {mb / pull.TotalSeconds:0} MB/s |"
                )
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| `cp` of the same file, {label} | {cp.TotalSeconds:0.000} s | {mb / cp.TotalSeconds:0} MB/s |"
                )
            );
            var md5 = Measure.Median(
                runs,
                () => Reset(copyTarget, null, fromDisk),
                () => Pipeline.DataVersioning.Hashing.ContentHasher.Md5(data)
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| md5 of the same file alone (the verification floor), {label} | {md5.TotalSeconds:0.000} s | {mb / md5.TotalSeconds:0} MB/s |"
                )
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| pull throughput as a share of `cp`, {label} | | {100 * cp.TotalSeconds / pull.TotalSeconds:0}% |"
                )
            );
        }
    }

    private static void Reset(string file, string? cache, bool dropPageCache)
    {
        File.Delete(file);
        if (cache is not null && Directory.Exists(cache))
        {
            foreach (var entry in Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(entry, FileAttributes.Normal);
                File.Delete(entry);
            }
        }

        if (dropPageCache)
        {
            Measure.DropPageCache();
        }
    }

    private static void Add(string work, int runs)
    {
        const int Files = 10_000;
        var repo = Path.Combine(work, "many");
        var folder = Path.Combine(repo, "images");
        for (var i = 0; i < Files; i++)
        {
            var sub = Path.Combine(folder, (i % 100).ToString("00", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(sub);
            File.WriteAllText(Path.Combine(sub, $"{i:00000}.txt"), $"small file {i} " + new string('x', i % 300));
        }

        DvcRepository.Init(repo);
        var add = Measure.Median(
            runs,
            () =>
            {
                var cache = Path.Combine(repo, ".dvc", "cache");
                if (Directory.Exists(cache))
                {
                    foreach (var file in Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories))
                    {
                        File.SetAttributes(file, FileAttributes.Normal);
                    }

                    Directory.Delete(cache, recursive: true);
                }
            },
            () => DataAdd.Add(DvcRepository.Open(repo), "images")
        );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| add of a folder of {Files:N0} small files, cold cache | {add.TotalSeconds:0.000} s | {Files / add.TotalSeconds:N0} files/s |"
            )
        );
    }
}
