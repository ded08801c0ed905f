using Pipeline.Cake.Setup;

namespace Pipeline.Testing;

/// <summary>
/// The programs of <c>tests/tools.json</c> as the tests see them: they look, never install (the TestTools target
/// does), and skip with the reason when one is missing.
/// </summary>
public static class TestTools
{
    private static readonly Lazy<MachineTools> Listed = new(() =>
        MachineTools.Load(System.IO.Path.Combine(Fixtures.RepositoryRoot, MachineTools.DefaultPath))
    );

    public static MachineTools Machine => Listed.Value;

    /// <summary>Null when every named tool is there; otherwise the first missing one's reason.</summary>
    public static string? Missing(params string[] names) =>
        names.Select(Machine.Missing).FirstOrDefault(reason => reason is not null);

    /// <summary>Skips the calling test, with the reason, unless every named tool is there.</summary>
    public static void Require(params string[] names)
    {
        if (Missing(names) is { } reason)
        {
            throw new Xunit.SkipException(reason);
        }
    }

    /// <summary>The tool's executable (or an npm tool's folder); null when it is missing.</summary>
    public static string? Locate(string name) => Machine.Locate(name);
}
