using Cake.Core;

namespace Pipeline.Cake.BuildServers;

/// <summary>Workflow commands GitHub Actions reads from a step's standard output.</summary>
public static class GitHubActionsCommands
{
    public static void StartGroup(IConsole console, string title) => console.WriteLine("::group::" + Escape(title));

    public static void EndGroup(IConsole console) => console.WriteLine("::endgroup::");

    // Workflow command data must not carry raw %, CR or LF.
    private static string Escape(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
}
