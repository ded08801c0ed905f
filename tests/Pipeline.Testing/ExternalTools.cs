using System.Diagnostics;

namespace Pipeline.Testing;

/// <summary>Runs the external programs tests drive (git, kubectl, podman, node), with a time limit and their output.</summary>
public static class ExternalTools
{
    /// <summary>Whether a command is on PATH.</summary>
    public static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator)
            .Any(dir => File.Exists(System.IO.Path.Combine(dir, command)));

    public static (int ExitCode, string Output) Run(
        string file,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null
    )
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
}
