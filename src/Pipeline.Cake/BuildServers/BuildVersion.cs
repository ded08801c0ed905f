using System.Text.RegularExpressions;

namespace Pipeline.Cake.BuildServers;

/// <summary>
/// One version string for the whole run, derived from the commit and the build number, and the image
/// tags made from it. The version is immutable per build; <c>latest</c> is only ever an extra tag.
/// </summary>
public sealed partial record BuildVersion(string Commit, string ShortCommit, string BuildNumber)
{
    public const string UnknownCommit = "0000000";

    /// <summary>For example <c>3f1c2a9-42</c> on CI or <c>3f1c2a9-local</c> on a laptop.</summary>
    public string Version => $"{ShortCommit}-{BuildNumber}";

    public static BuildVersion From(BuildServerInfo server)
    {
        var commit =
            server.Commit is { Length: >= 7 } c && HexCommit().IsMatch(c) ? c.ToLowerInvariant() : UnknownCommit;
        return new BuildVersion(commit, commit[..7], SanitizeTag(server.BuildNumber));
    }

    /// <summary>The tags every image of this build gets: the immutable version, plus <c>latest</c> when asked for.</summary>
    public IReadOnlyList<string> ImageTags(bool includeLatest) => includeLatest ? [Version, "latest"] : [Version];

    // OCI tags allow [A-Za-z0-9_.-], up to 128 characters, and may not start with '.' or '-'.
    private static string SanitizeTag(string value)
    {
        var cleaned = TagIllegal().Replace(value, "-").TrimStart('.', '-');
        return cleaned.Length == 0 ? "0" : cleaned[..Math.Min(cleaned.Length, 100)];
    }

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexCommit();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex TagIllegal();
}
