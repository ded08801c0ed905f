using Cake.Common.Build;
using Cake.Core;

namespace Pipeline.Cake.BuildServers;

/// <summary>
/// Where Cake.Common's build-system providers write their service messages (GitHub Actions' <c>::group::</c> and the
/// like): straight to the build's console, whatever the log verbosity, because the CI server reads them there.
/// </summary>
public sealed class ConsoleMessageWriter(IConsole console) : IBuildSystemServiceMessageWriter
{
    public void Write(string format, params object[] args) =>
        console.WriteLine(
            args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args)
        );
}

/// <summary>Cake.Common's GitHub Actions provider, writing its commands to the build's console.</summary>
public static class GitHubActionsOnConsole
{
    public static global::Cake.Common.Build.GitHubActions.IGitHubActionsProvider Create(
        ICakeContext context,
        IConsole console
    ) =>
        new global::Cake.Common.Build.GitHubActions.GitHubActionsProvider(
            context.Environment,
            context.FileSystem,
            new ConsoleMessageWriter(console)
        );
}
