using Playlist.Model;

namespace Playlist.Api;

/// <summary>
/// The model this process serves, loaded once at start: a new model means a new pod (Deploy rolls one out, the watcher
/// restarts the Deployment after a retraining). A folder that is not a playlist model stops the start with its name.
/// </summary>
public sealed class LoadedModel(RuleSet rules, string directory, string? runId, string? version)
{
    public RuleSet Rules { get; } = rules;

    public string Directory { get; } = directory;

    public string? RunId { get; } = runId;

    public string? Version { get; } = version;

    /// <summary>The model in <paramref name="directory"/>, or the seed's while the directory holds none yet.</summary>
    public static LoadedModel Load(string directory, string? seed = null)
    {
        var full = Path.GetFullPath(
            seed is not null && !File.Exists(Path.Combine(directory, RuleSet.FileName)) ? seed : directory
        );
        var lineage = Path.Combine(full, "lineage.json");
        if (!File.Exists(lineage))
        {
            return new LoadedModel(RuleSet.Load(full), full, null, null);
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(lineage));
        string? Field(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new LoadedModel(RuleSet.Load(full), full, Field("run_id"), Field("version"));
    }
}
