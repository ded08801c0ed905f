using System.Diagnostics;

namespace Pipeline.Testing;

/// <summary>
/// Installs the external programs tests need (npm packages, Debian packages) once per machine into a cache
/// folder, serialised across parallel test processes by a file lock. A tool that cannot be installed yields
/// a reason for the test to print when it skips.
/// </summary>
public static class ExternalTools
{
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("PIPELINE_TOOLS_CACHE") is { Length: > 0 } custom
            ? custom
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pipeline-tools");

    /// <summary>Installs <c>package@version</c> from npm into its own folder; returns that folder, or a reason it cannot be had.</summary>
    public static (string? Folder, string? Reason) NpmPackage(string package, string version)
    {
        var folder = System.IO.Path.Combine(CacheRoot, $"{package}-{version}");
        var marker = System.IO.Path.Combine(folder, ".installed");
        if (File.Exists(marker))
        {
            return (folder, null);
        }

        using (FileLock(folder))
        {
            if (File.Exists(marker))
            {
                return (folder, null);
            }

            Directory.CreateDirectory(folder);
            var (exit, output) = Run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", folder, $"{package}@{version}"], TimeSpan.FromMinutes(5));
            if (exit != 0)
            {
                return (null, $"npm install {package}@{version} failed (exit {exit}): {output.Trim()}");
            }

            File.WriteAllText(marker, version);
            return (folder, null);
        }
    }

    /// <summary>Whether a command is on PATH.</summary>
    public static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator)
            .Any(dir => File.Exists(System.IO.Path.Combine(dir, command)));

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} timed out after {timeout}");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{file} is not installed: {ex.Message}");
        }
    }

    private static FileStream FileLock(string folder)
    {
        Directory.CreateDirectory(CacheRoot);
        var path = folder + ".lock";
        var deadline = DateTime.UtcNow.AddMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
