using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.IO;

namespace Pipeline.Cake.Images;

/// <summary>One service image: its Dockerfile, the project published on the host for prebuilt builds, and whether the extracted model ships inside.</summary>
public sealed record ImageSpec(string Name, string Dockerfile, string Project, bool IncludesModel)
{
    /// <summary>Every image the pipeline builds: the API (with the model), the training command, the dataset jobs, the retraining controller.</summary>
    public static IReadOnlyList<ImageSpec> All { get; } =
    [
        new("sentiment-api", "src/Sentiment.Api/Dockerfile", "src/Sentiment.Api/Sentiment.Api.csproj", IncludesModel: true),
        new("pipeline-train", "src/Pipeline.Trainer/Dockerfile", "src/Pipeline.Trainer/Pipeline.Trainer.csproj", IncludesModel: false),
        new("pipeline-datasets", "src/Pipeline.Datasets/Dockerfile", "src/Pipeline.Datasets/Pipeline.Datasets.csproj", IncludesModel: false),
        new("pipeline-watcher", "src/Pipeline.Watcher/Dockerfile", "src/Pipeline.Watcher/Pipeline.Watcher.csproj", IncludesModel: false),
    ];

    public const string Source = "https://github.com/pipeline/pipeline";

    /// <summary>
    /// The OCI labels every image carries, in one place rather than in each Dockerfile stage (build ARGs would have to be
    /// declared again per stage); the model's run only on the image that ships the model.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Labels(ImageSpec image, string version, string revision, string modelRunId)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.opencontainers.image.title"] = image.Name,
            ["org.opencontainers.image.source"] = Source,
            ["org.opencontainers.image.revision"] = revision,
            ["org.opencontainers.image.version"] = version,
        };
        if (image.IncludesModel)
        {
            labels["io.pipeline.model.run-id"] = modelRunId;
        }

        return labels;
    }

    /// <summary>The images <c>--image</c> names (repeatable), or all of them; an unknown name is an error.</summary>
    public static IReadOnlyList<ImageSpec> Select(IReadOnlyCollection<string> names) =>
        names.Count == 0
            ? All
            : [.. names.Select(n => All.SingleOrDefault(i => i.Name == n)
                ?? throw new ArgumentException($"--image: unknown image '{n}'; known: {string.Join(", ", All.Select(i => i.Name))}."))];
}

/// <summary>What BuildImages built and PushImages pushed: the facts Deploy reads (it deploys by digest, never by latest).</summary>
public sealed record BuiltImage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("image_id")] string ImageId,
    [property: JsonPropertyName("digest")] string? Digest = null)
{
    /// <summary>The immutable reference to deploy: <c>repository@sha256:…</c> once pushed, else the version tag.</summary>
    [JsonPropertyName("deploy_reference")]
    public string DeployReference => Digest is { Length: > 0 } d ? $"{Repository}@{d}" : $"{Repository}:{Tags[0]}";
}

/// <summary><c>artifacts/images.json</c>, written whole.</summary>
public static class ImageManifest
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string path, IReadOnlyList<BuiltImage> images) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { images }, Json) + "\n");

    public static IReadOnlyList<BuiltImage> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist; run BuildImages first.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("images").Deserialize<List<BuiltImage>>() ?? [];
    }

    /// <summary>Loopback and <c>localhost</c> registries are plain HTTP; everything else must be TLS.</summary>
    public static bool IsInsecure(string registry) =>
        registry.StartsWith("127.", StringComparison.Ordinal) || registry.StartsWith("localhost", StringComparison.Ordinal);
}
