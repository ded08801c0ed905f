using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.IO;

namespace Pipeline.Delivery.Images;

/// <summary>What BuildImages built and PushImages pushed: the facts Deploy reads (it deploys by digest, never by latest).</summary>
public sealed record BuiltImage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("image_id")] string ImageId,
    [property: JsonPropertyName("digest")] string? Digest = null
)
{
    /// <summary>The immutable reference to deploy: <c>repository@sha256:…</c> once pushed, else the version tag.</summary>
    [JsonPropertyName("deploy_reference")]
    public string DeployReference => Digest is { Length: > 0 } d ? $"{Repository}@{d}" : $"{Repository}:{Tags[0]}";

    /// <summary>The registry part of the repository, e.g. <c>127.0.0.1:5055</c>.</summary>
    [JsonIgnore]
    public string Registry => Repository[..Math.Max(0, Repository.IndexOf('/', StringComparison.Ordinal))];
}

/// <summary><c>artifacts/images.json</c>, written whole.</summary>
public static class ImageManifest
{
    public static void Write(string path, IReadOnlyList<BuiltImage> images) => JsonFile.Write(path, new { images });

    public static IReadOnlyList<BuiltImage> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DeliveryException($"{path} does not exist; run BuildImages first.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("images").Deserialize<List<BuiltImage>>() ?? [];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DeliveryException($"{path}: not an image list written by BuildImages: {ex.Message}");
        }
    }

    /// <summary>Loopback and <c>localhost</c> registries are plain HTTP; everything else must be TLS.</summary>
    public static bool IsInsecure(string registry) =>
        registry.StartsWith("127.", StringComparison.Ordinal)
        || registry.StartsWith("localhost", StringComparison.Ordinal);
}
