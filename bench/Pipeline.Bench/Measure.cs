using System.Diagnostics;

namespace Pipeline.Bench;

/// <summary>Runs an operation a fixed number of times (after its own setup each time) and reports the median.</summary>
internal static class Measure
{
    public static TimeSpan Median(int runs, Action setup, Action operation)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            setup();
            var clock = Stopwatch.StartNew();
            operation();
            times.Add(clock.Elapsed);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Empties the OS page cache so the next read comes from disk; false where the kernel does not allow it.</summary>
    public static bool DropPageCache()
    {
        try
        {
            Process.Start("sync")!.WaitForExit();
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception ex)
            when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static string SharedData(string name) =>
        Path.GetFullPath(
            Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "data", name)
        )
            is var path
        && File.Exists(path)
            ? path
        : Environment.GetEnvironmentVariable("PIPELINE_SHARED_DATA") is { } custom
        && File.Exists(Path.Combine(custom, name))
            ? Path.Combine(custom, name)
        : throw new FileNotFoundException(
            $"{name} was not found in ../shared/data next to the repository (or PIPELINE_SHARED_DATA)."
        );
}
