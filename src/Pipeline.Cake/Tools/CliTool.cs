using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Pipeline.Cake.Tools;

/// <summary>Settings of a tool whose executable name is a setting (docker or podman; kubectl).</summary>
public interface INamedToolSettings
{
    /// <summary>The executable's name; <see cref="ToolSettings.ToolPath"/> still wins when set.</summary>
    string Executable { get; }
}

/// <summary>A CLI named by its settings (docker, podman, kubectl) as a Cake tool: resolved from ToolPath or PATH; a non-zero exit is an error.</summary>
public sealed class CliTool<TSettings>(
    IFileSystem fileSystem,
    ICakeEnvironment environment,
    IProcessRunner processRunner,
    IToolLocator tools
) : Tool<TSettings>(fileSystem, environment, processRunner, tools)
    where TSettings : ToolSettings, INamedToolSettings
{
    private string _name = string.Empty;

    public void Execute(TSettings settings, ProcessArgumentBuilder arguments)
    {
        _name = settings.Executable;
        Run(settings, arguments);
    }

    /// <summary>Runs and returns standard output, trimmed.</summary>
    public string RunWithOutput(TSettings settings, ProcessArgumentBuilder arguments)
    {
        _name = settings.Executable;
        var output = new List<string>();
        Run(
            settings,
            arguments,
            new ProcessSettings { RedirectStandardOutput = true },
            process => output.AddRange(process.GetStandardOutput())
        );
        return string.Join('\n', output).Trim();
    }

    /// <summary>Runs with standard output shown; on a non-zero exit the error names what the tool printed to standard error.</summary>
    public void ExecuteReportingErrors(TSettings settings, ProcessArgumentBuilder arguments, Action<string> showError)
    {
        _name = settings.Executable;
        using var process = RunProcess(settings, arguments, new ProcessSettings { RedirectStandardError = true });
        process.WaitForExit();
        var errors = process.GetStandardError().ToList();
        errors.ForEach(showError);
        if (process.GetExitCode() is var exit and not 0)
        {
            throw new CakeException(exit, $"{_name} failed (exit code {exit}): {string.Join(' ', errors).Trim()}");
        }
    }

    /// <summary>Runs and returns the exit code instead of failing on a non-zero one; <paramref name="quiet"/> hides the output (for probes).</summary>
    public int RunForExitCode(TSettings settings, ProcessArgumentBuilder arguments, bool quiet = false)
    {
        _name = settings.Executable;
        using var process = RunProcess(
            settings,
            arguments,
            new ProcessSettings { RedirectStandardOutput = quiet, RedirectStandardError = quiet }
        );
        if (quiet)
        {
            _ = process.GetStandardOutput().Count() + process.GetStandardError().Count();
        }

        process.WaitForExit();
        return process.GetExitCode();
    }

    /// <summary>
    /// Runs and returns the exit code with everything printed, never failing on the exit code: for commands whose
    /// failure is information (a diagnosis, a dry run, a probe for an object that may not exist).
    /// </summary>
    public (int Exit, string Output, string Error) TryRun(TSettings settings, ProcessArgumentBuilder arguments)
    {
        _name = settings.Executable;
        using var process = RunProcess(
            settings,
            arguments,
            new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = true }
        );
        // Cake collects both streams as they arrive; they are complete only once the process has exited.
        process.WaitForExit();
        var output = string.Join('\n', process.GetStandardOutput()).Trim();
        var error = string.Join('\n', process.GetStandardError()).Trim();
        return (process.GetExitCode(), output, error);
    }

    /// <summary>The executable this tool resolves to (for commands that need standard input, which Cake's runner does not offer).</summary>
    public FilePath Resolve(TSettings settings)
    {
        _name = settings.Executable;
        return GetToolPath(settings) ?? throw new CakeException($"{GetToolName()}: Could not locate executable.");
    }

    protected override string GetToolName() => _name;

    protected override IEnumerable<string> GetToolExecutableNames() => [_name, _name + ".exe"];
}
