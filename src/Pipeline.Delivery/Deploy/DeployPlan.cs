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
public static class DeployPlan
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
    /// The rendered manifests with our images pinned before the apply, so no workload ever rolls to a placeholder:
    /// each rollout's container image line, and every other reference to one of our images that still carries the
    /// placeholder tag where kustomize cannot reach (an env value, the training Job template inside a ConfigMap). A
    /// reference someone pinned by hand elsewhere stays as written.
    /// </summary>
    public static string Pin(string renderedYaml, IEnumerable<ImageRollout> rollouts, IEnumerable<BuiltImage> images)
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
