namespace Pipeline.DataVersioning.Config;

/// <summary>A <c>['remote "name"']</c> section. A relative local url is resolved against the folder of the config file that set it.</summary>
public sealed record RemoteConfig(
    string Name,
    string Url,
    IReadOnlyDictionary<string, string> Options,
    string ConfigDirectory
)
{
    public string Scheme =>
        Url.Contains("://", StringComparison.Ordinal)
            ? Url[..Url.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant()
            : "local";

    /// <summary>For a local remote, the absolute folder; otherwise the url as written.</summary>
    public string ResolvedUrl =>
        Scheme switch
        {
            "local" => Path.GetFullPath(Path.Combine(ConfigDirectory, Url)),
            "file" => new Uri(Url).LocalPath,
            _ => Url,
        };

    /// <summary>DVC re-hashes downloads only when this is true. We always do; it is kept for round-trips.</summary>
    public bool Verify => Option("verify") is "true" or "True";

    public int? Jobs => int.TryParse(Option("jobs"), out var jobs) && jobs > 0 ? jobs : null;

    public string? Option(string key) => Options.TryGetValue(key, out var value) ? value : null;
}
