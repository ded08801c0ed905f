using Cake.Core;
using Cake.Core.IO;

namespace Pipeline.Testing;

/// <summary>
/// Cake's environment without its two process-wide side effects, so tests can run in parallel:
/// the working directory lives in a field (the real one is the process's current directory), and
/// CI variables come only from <see cref="Variables"/> (so a test run on a CI server does not
/// think it is that server). Everything else is delegated to a real <see cref="CakeEnvironment"/>.
/// </summary>
public sealed class IsolatedCakeEnvironment(DirectoryPath workingDirectory) : ICakeEnvironment
{
    private static readonly string[] CiPrefixes =
    [
        "GITHUB_",
        "JENKINS_",
        "BUILD_",
        "GIT_",
        "BRANCH_NAME",
        "CI",
        "MLFLOW_",
        "AWS_",
        "REGISTRY_",
    ];
    private readonly CakeEnvironment _real = new(new CakePlatform(), new CakeRuntime());

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public DirectoryPath WorkingDirectory { get; set; } = workingDirectory;

    public DirectoryPath ApplicationRoot => _real.ApplicationRoot;

    public ICakePlatform Platform => _real.Platform;

    public ICakeRuntime Runtime => _real.Runtime;

    public DirectoryPath GetSpecialPath(SpecialPath path) => _real.GetSpecialPath(path);

    public string? GetEnvironmentVariable(string variable) =>
        Variables.TryGetValue(variable, out var value) ? value
        : IsCiVariable(variable) ? null
        : _real.GetEnvironmentVariable(variable);

    public IDictionary<string, string> GetEnvironmentVariables()
    {
        var all = _real
            .GetEnvironmentVariables()
            .Where(kv => !IsCiVariable(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (key, value) in Variables)
        {
            all[key] = value;
        }

        return all;
    }

    public DirectoryPath UserHomeDirectory => _real.UserHomeDirectory;

    private static bool IsCiVariable(string name) => CiPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
