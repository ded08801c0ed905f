namespace Playlist.Api;

/// <summary>The <c>Playlist</c> settings section (environment: <c>Playlist__ModelPath</c> and so on).</summary>
public sealed class PlaylistOptions
{
    public const string Section = "Playlist";

    /// <summary>The extracted model folder (rules.json, MLmodel, lineage.json).</summary>
    public string ModelPath { get; set; } = "artifacts/model";

    /// <summary>The model baked into the image, served while <see cref="ModelPath"/> (the models volume) has none yet.</summary>
    public string? SeedModelPath { get; set; }

    /// <summary>Where /metrics answers (and nothing else does); 0 serves it on every port.</summary>
    public int ManagementPort { get; set; }

    public int DefaultCount { get; set; } = 10;

    public int MaxCount { get; set; } = 100;

    public int MaxSeeds { get; set; } = 100;

    public int MaxTrackLength { get; set; } = 300;
}
