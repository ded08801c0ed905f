using Cake.Core.IO;

namespace Pipeline.Testing;

/// <summary>Records what a Cake tool would run (like Cake.Testing's ToolFixture) and answers with a set exit code and output.</summary>
public sealed class RecordingProcessRunner : IProcessRunner
{
    public List<(FilePath Tool, string Arguments, string SafeArguments)> Runs { get; } = [];

    public int ExitCode { get; set; }

    public List<string> StandardOutput { get; } = [];

    public IProcess Start(FilePath filePath, ProcessSettings settings)
    {
        Runs.Add((filePath, settings.Arguments.Render(), settings.Arguments.RenderSafe()));
        return new FinishedProcess(ExitCode, StandardOutput);
    }

    private sealed class FinishedProcess(int exitCode, IEnumerable<string> output) : IProcess
    {
        public void Dispose()
        {
        }

        public void WaitForExit()
        {
        }

        public bool WaitForExit(int milliseconds) => true;

        public int GetExitCode() => exitCode;

        public IEnumerable<string> GetStandardError() => [];

        public IEnumerable<string> GetStandardOutput() => output;

        public void Kill()
        {
        }
    }
}
