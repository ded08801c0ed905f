using System.Text.RegularExpressions;
using Pipeline.Delivery.Images;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Delivery.Deploy;

/// <summary>One container of a rendered Deployment that runs one of our images, and the reference to roll it to.</summary>
public sealed record ImageRollout(
    string Namespace,
    string Deployment,
    string Container,
    string Image,
    IReadOnlyDictionary<string, string> Selector,
    string RenderedImage = ""
)
{
    public string Resource => $"deployment/{Deployment}";
}

/// <summary>
/// What Deploy changes after applying the rendered manifests: every Deployment container whose image is one we built
/// (same repository name) is set to that image's digest, or its immutable tag before a push; never <c>latest</c>.
/// Model-agnostic: it knows images by name, not which workload serves which model.
/// </summary>
public static partial class DeployPlan
{
    public static IReadOnlyList<ImageRollout> From(
        string renderedYaml,
        IReadOnlyList<BuiltImage> images,
        string defaultNamespace = "default"
    )
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(renderedYaml))
        {
            stream.Load(reader);
        }

        var rollouts = new List<ImageRollout>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root || Scalar(root, "kind") != "Deployment")
            {
                continue;
            }

            var metadata = Map(root, "metadata");
            var name =
                Scalar(metadata, "name") ?? throw new FormatException("A rendered Deployment has no metadata.name.");
            var ns = Scalar(metadata, "namespace") ?? defaultNamespace;
            var spec = Map(root, "spec");
            var selector =
                Map(Map(spec, "selector"), "matchLabels")
                    ?.Children.ToDictionary(
                        c => ((YamlScalarNode)c.Key).Value!,
                        c => ((YamlScalarNode)c.Value).Value!,
                        StringComparer.Ordinal
                    )
                ?? [];
            var containers =
                Map(Map(spec, "template"), "spec")?.Children.TryGetValue(new YamlScalarNode("containers"), out var list)
                == true
                    ? ((YamlSequenceNode)list).Children.OfType<YamlMappingNode>()
                    : [];
            foreach (var container in containers)
            {
                var image = Scalar(container, "image");
                var built = image is null ? null : images.FirstOrDefault(i => RepositoryName(image) == i.Name);
                if (built is not null)
                {
                    rollouts.Add(
                        new ImageRollout(ns, name, Scalar(container, "name")!, built.DeployReference, selector, image!)
                    );
                }
            }
        }

        return rollouts;
    }

    /// <summary>The tag the kustomizations give our images until Deploy pins them; nothing is ever pushed with it.</summary>
    public const string PlaceholderTag = "0000000-0";

    /// <summary>
    /// The rendered manifests made ready to apply. Our images are pinned, so no workload ever rolls to a placeholder:
    /// each rollout's container image line, and every other reference to one of our images that still carries the
    /// placeholder tag where kustomize cannot reach (an env value, the training Job template inside a ConfigMap); a
    /// reference someone pinned by hand elsewhere stays as written. A kustomize-generated ConfigMap whose content
    /// pinning changed gets a new name suffix from its new content, and every reference follows, because kustomize
    /// hashed it before the pin: the Deployments that mount it roll, and the previous one stays for an undo. A
    /// Deployment a HorizontalPodAutoscaler scales gets no <c>spec.replicas</c>, so an apply never takes back the
    /// autoscaler's count.
    /// </summary>
    public static string Pin(string renderedYaml, IEnumerable<ImageRollout> rollouts, IEnumerable<BuiltImage> images)
    {
        var pinned = PinImages(renderedYaml, rollouts, images);
        return LeaveReplicasToAutoscalers(RenameChangedConfigMaps(renderedYaml, pinned));
    }

    private static string PinImages(
        string renderedYaml,
        IEnumerable<ImageRollout> rollouts,
        IEnumerable<BuiltImage> images
    )
    {
        var pinned = rollouts.Aggregate(
            renderedYaml,
            (yaml, rollout) =>
                Regex.Replace(
                    yaml,
                    $@"^(\s*(?:-\s+)?image:\s*)[""']?{Regex.Escape(rollout.RenderedImage)}[""']?\s*$",
                    m => m.Groups[1].Value + rollout.Image,
                    RegexOptions.Multiline
                )
        );
        return images.Aggregate(
            pinned,
            (yaml, image) =>
                Regex.Replace(
                    yaml,
                    $@"(?<![\w./:-])(?:[\w.-]+(?::\d+)?/)*{Regex.Escape(image.Name)}:{Regex.Escape(PlaceholderTag)}(?![\w.-])",
                    image.DeployReference
                )
        );
    }

    /// <summary>Each object of a rendered stream as <c>apiVersion/Kind name</c>, for checking the cluster serves its kind.</summary>
    public static IReadOnlyList<(string Kind, string Name)> Objects(string renderedYaml) =>
        [
            .. Documents(renderedYaml)
                .Select(Parse)
                .Select(root =>
                    (
                        $"{Scalar(root, "apiVersion")}/{Scalar(root, "kind")}",
                        Scalar(Map(root, "metadata"), "name") ?? ""
                    )
                ),
        ];

    /// <summary>
    /// The Namespace documents of a rendered stream (empty when it has none). A server-side dry run creates nothing,
    /// so a release's own namespaces are applied first: without them every object in them would be "not found".
    /// </summary>
    public static string Namespaces(string renderedYaml) =>
        string.Join("---\n", Documents(renderedYaml).Where(d => Identity(d).Kind == "Namespace"));

    /// <summary>kustomize's generated names end in a dash and ten characters of a content hash.</summary>
    [GeneratedRegex("^(?<base>.+)-(?<hash>[a-z0-9]{10})$")]
    private static partial Regex GeneratedName();

    private static string RenameChangedConfigMaps(string before, string after)
    {
        var previous = Documents(before);
        var current = Documents(after);
        if (previous.Count != current.Count)
        {
            return after;
        }

        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < current.Count; i++)
        {
            if (
                current[i] != previous[i]
                && Identity(current[i]) is ("ConfigMap", { } name)
                && GeneratedName().Match(name) is { Success: true } generated
            )
            {
                var hash = Convert.ToHexStringLower(
                    System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(current[i]))
                )[..10];
                renames[name] = $"{generated.Groups["base"].Value}-{hash}";
            }
        }

        return renames.Aggregate(
            after,
            (yaml, rename) => Regex.Replace(yaml, $@"(?<![\w.-]){Regex.Escape(rename.Key)}(?![\w.-])", rename.Value)
        );
    }

    private static string LeaveReplicasToAutoscalers(string yaml)
    {
        var documents = Documents(yaml);
        var scaled = documents
            .Select(Parse)
            .Where(root => Scalar(root, "kind") == "HorizontalPodAutoscaler")
            .Select(root => Map(Map(root, "spec"), "scaleTargetRef"))
            .Where(target => Scalar(target, "kind") == "Deployment")
            .Select(target => Scalar(target, "name"))
            .ToHashSet(StringComparer.Ordinal);
        if (scaled.Count == 0)
        {
            return yaml;
        }

        // kustomize writes two-space indentation, so the Deployment's own replicas is the one line of that depth.
        return string.Join(
            "---\n",
            documents.Select(document =>
                Identity(document) is ("Deployment", { } name) && scaled.Contains(name)
                    ? Regex.Replace(document, @"^  replicas: \d+\n", string.Empty, RegexOptions.Multiline)
                    : document
            )
        );
    }

    /// <summary>The documents of a rendered stream, as kustomize separates them.</summary>
    private static List<string> Documents(string yaml) =>
        [.. Regex.Split(yaml, @"(?m)^---\n").Where(d => d.Trim().Length > 0)];

    private static (string? Kind, string? Name) Identity(string document)
    {
        var root = Parse(document);
        return (Scalar(root, "kind"), Scalar(Map(root, "metadata"), "name"));
    }

    private static YamlMappingNode? Parse(string document)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(document);
        stream.Load(reader);
        return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
    }

    /// <summary>The last path segment of an image reference without its tag or digest: <c>reg:5000/a/b:1</c> → <c>b</c>.</summary>
    public static string RepositoryName(string image)
    {
        var withoutDigest = image.Split('@')[0];
        var last = withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
        return last.Split(':')[0];
    }

    private static YamlMappingNode? Map(YamlMappingNode? node, string key) =>
        node?.Children.TryGetValue(new YamlScalarNode(key), out var value) == true ? value as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node?.Children.TryGetValue(new YamlScalarNode(key), out var value) == true
            ? (value as YamlScalarNode)?.Value
            : null;
}
