using System.Text.Json;

namespace Pipeline.Delivery.Images;

/// <summary>
/// One service image: its Dockerfile, the project published on the host for prebuilt builds, and the workload whose
/// extracted model ships inside (null for images that carry no model), and the settings through which the Serve stage
/// hands the image's app its model folder (<c>model_path</c>), database file (<c>database_path</c>) and, when the app
/// has one, the management port its metrics answer on (<c>management_port</c>).
/// </summary>
public sealed record ImageSpec(
    string Name,
    string Dockerfile,
    string Project,
    string? Model = null,
    IReadOnlyDictionary<string, string>? Serve = null
)
{
    public string? ServeSetting(string role) => Serve?.GetValueOrDefault(role);

    public bool IncludesModel => Model is not null;

    /// <summary>
    /// The arguments that run this image's app on a laptop, on loopback only: its URL (and the management port's, where
    /// metrics answer, when the app has one), then the model folder and (for an app with one) the database file through the
    /// app's settings.
    /// </summary>
    public IReadOnlyList<string> ServeArguments(int port, int managementPort, string modelFolder, string databaseFile)
    {
        var url = $"http://127.0.0.1:{port}";
        var management = ServeSetting("management_port");
        return
        [
            "--urls",
            management is null ? url : $"{url};http://127.0.0.1:{managementPort}",
            .. management is null ? Array.Empty<string>() : [$"--{management}={managementPort}"],
            $"--{ServeSetting("model_path")}={modelFolder}",
            .. ServeSetting("database_path") is { } database ? [$"--{database}={databaseFile}"] : Array.Empty<string>(),
        ];
    }
}

/// <summary>
/// The images an application builds, read from its configuration (<c>config/images.json</c>), never from code: the
/// pipeline knows images by name and knows nothing of what they serve.
/// </summary>
public sealed record ImageCatalog(string Source, IReadOnlyList<ImageSpec> Images)
{
    public const string DefaultPath = "config/images.json";

    public static ImageCatalog Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
            );
        }
        catch (IOException ex)
        {
            throw new DeliveryException($"{path}: cannot read the image list: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new DeliveryException($"{path}:{(ex.LineNumber ?? 0) + 1}: not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var source = root.TryGetProperty("source", out var s) ? s.GetString() ?? string.Empty : string.Empty;
            if (
                !root.TryGetProperty("images", out var list)
                || list.ValueKind != JsonValueKind.Array
                || list.GetArrayLength() == 0
            )
            {
                throw new DeliveryException($"{path}: 'images' must be a non-empty list.");
            }

            var images = new List<ImageSpec>();
            foreach (var (item, index) in list.EnumerateArray().Select((item, index) => (item, index)))
            {
                string Required(string field) =>
                    item.TryGetProperty(field, out var value) && value.GetString() is { Length: > 0 } text
                        ? text
                        : throw new DeliveryException($"{path}: images[{index}].{field} is required.");
                var serve =
                    item.TryGetProperty("serve", out var settings) && settings.ValueKind == JsonValueKind.Object
                        ? settings
                            .EnumerateObject()
                            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
                        : null;
                var image = new ImageSpec(
                    Required("name"),
                    Required("dockerfile"),
                    Required("project"),
                    item.TryGetProperty("model", out var model) ? model.GetString() : null,
                    serve
                );
                if (images.Any(i => i.Name == image.Name))
                {
                    throw new DeliveryException($"{path}: images[{index}].name '{image.Name}' is listed twice.");
                }

                images.Add(image);
            }

            return new ImageCatalog(source, images);
        }
    }

    /// <summary>
    /// The images <c>--image</c> names, or all of them; an unknown name is an error that lists the known ones. With a
    /// <paramref name="workload"/>, the images of other workloads are left out (the extracted model is this one's),
    /// and naming one of them is an error.
    /// </summary>
    public IReadOnlyList<ImageSpec> Select(IReadOnlyCollection<string> names, string? workload = null)
    {
        var selected = SelectByName(names);
        if (workload is null)
        {
            return selected;
        }

        var foreign = selected.Where(i => i.Model is { } model && model != workload).ToList();
        if (names.Count > 0 && foreign.Count > 0)
        {
            throw new DeliveryException(
                $"--image: {string.Join(", ", foreign.Select(i => $"'{i.Name}' serves the '{i.Model}' model"))}, but this build's config trains '{workload}'; run it with that workload's --config."
            );
        }

        return [.. selected.Except(foreign)];
    }

    private IReadOnlyList<ImageSpec> SelectByName(IReadOnlyCollection<string> names) =>
        names.Count == 0
            ? Images
            :
            [
                .. names.Select(n =>
                    Images.SingleOrDefault(i => i.Name == n)
                    ?? throw new DeliveryException(
                        $"--image: unknown image '{n}'; known: {string.Join(", ", Images.Select(i => i.Name))}."
                    )
                ),
            ];

    /// <summary>The image that serves a workload's model (its API), if the catalog has one.</summary>
    public ImageSpec? ServiceOf(string model) => Images.FirstOrDefault(i => i.Model == model);

    /// <summary>
    /// The OCI labels every image carries, in one place rather than in each Dockerfile stage (build ARGs would have to be
    /// declared again per stage); the model's run only on an image that ships a model.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels(
        ImageSpec image,
        string version,
        string revision,
        string modelRunId
    )
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
}
