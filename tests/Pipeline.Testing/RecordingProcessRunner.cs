using Cake.Core.IO;

namespace Pipeline.Testing;

/// <summary>Records what a Cake tool would run (like Cake.Testing's ToolFixture) and answers with a set exit code and output.</summary>
public sealed class RecordingProcessRunner : IProcessRunner
{
    public List<(FilePath Tool, string Arguments, string SafeArguments)> Runs { get; } = [];

    public int ExitCode { get; set; }

    public List<string> StandardOutput { get; } = [];

    /// <summary>
    /// Answers one command by its rendered arguments (exit code and standard output), standing in for the real tool;
    /// null falls back to <see cref="ExitCode"/> and <see cref="StandardOutput"/>.
    /// </summary>
    public Func<string, (int ExitCode, IEnumerable<string> Output)?>? Respond { get; set; }

    /// <summary>The rendered arguments of every run, in order.</summary>
    public IReadOnlyList<string> Commands => [.. Runs.Select(r => r.Arguments)];

    public IProcess Start(FilePath filePath, ProcessSettings settings)
    {
        var arguments = settings.Arguments.Render();
        Runs.Add((filePath, arguments, settings.Arguments.RenderSafe()));
        return Respond?.Invoke(arguments) is { } answer
            ? new FinishedProcess(answer.ExitCode, answer.Output)
            : new FinishedProcess(ExitCode, StandardOutput);
    }

    private sealed class FinishedProcess(int exitCode, IEnumerable<string> output) : IProcess
    {
        public void Dispose() { }

        public void WaitForExit() { }

        public bool WaitForExit(int milliseconds) => true;

        public int GetExitCode() => exitCode;

        public IEnumerable<string> GetStandardError() => [];

        public IEnumerable<string> GetStandardOutput() => output;

        public void Kill() { }
    }
}
