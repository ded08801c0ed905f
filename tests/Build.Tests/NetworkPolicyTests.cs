using k8s;
using k8s.Models;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>
/// The network policies as each overlay renders them, evaluated the way a cluster does: a pod selected by some
/// policy of a direction takes only what one of those policies allows. Every flow the application has is allowed,
/// and a few it must not have are not.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NetworkPolicyTests
{
    private static readonly string K8s = Path.Combine(Fixtures.RepositoryRoot, "k8s");

    private sealed record Peer(string Namespace, IDictionary<string, string> Labels);

    private static Peer Pod(string name, string ns = "app") =>
        new(ns, new Dictionary<string, string> { ["app.kubernetes.io/name"] = name });

    private static Peer Outside(string ns) => new(ns, new Dictionary<string, string>());

    private static List<V1NetworkPolicy> Render(string path) => RenderAll(path).OfType<V1NetworkPolicy>().ToList();

    private static List<object> RenderAll(string path)
    {
        TestTools.Require("kubectl");
        using var copy = new TempDirectory("k8s-policies");
        K8sCopy.Into(copy.Path, withSecrets: true);
        var (exit, output) = ExternalTools.Run(
            "kubectl",
            ["kustomize", Path.Combine(copy.Path, path)],
            TimeSpan.FromMinutes(1)
        );
        exit.ShouldBe(0, output);
        return
        [
            .. KubernetesYaml.LoadAllFromString(
                output,
                new Dictionary<string, Type>
                {
                    ["external-secrets.io/v1beta1/ExternalSecret"] = typeof(ManifestTests.CustomResource),
                }
            ),
        ];
    }

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(l =>
            labels.TryGetValue(l.Key, out var value) && value == l.Value
        );

    private static bool Matches(V1NetworkPolicyPeer peer, Peer other) =>
        peer.IpBlock is null
        && (
            peer.NamespaceSelector is { } namespaces
                ? Selects(
                    namespaces,
                    new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = other.Namespace }
                )
                : other.Namespace == "app"
        )
        && (peer.PodSelector is null || Selects(peer.PodSelector, other.Labels));

    private static bool PortOpen(IList<V1NetworkPolicyPort>? ports, int port) =>
        ports is null
        || ports.Any(p =>
            p.Port is null || p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );

    /// <summary>Whether <paramref name="to"/> takes a connection from <paramref name="from"/> on the port.</summary>
    private static bool IngressAllowed(List<V1NetworkPolicy> policies, Peer from, Peer to, int port)
    {
        var applying = policies.Where(p =>
            Selects(p.Spec.PodSelector, to.Labels) && p.Spec.PolicyTypes.Contains("Ingress")
        );
        return applying.Any(p =>
            p.Spec.Ingress?.Any(rule =>
                PortOpen(rule.Ports, port)
                && (rule.FromProperty is null || rule.FromProperty.Any(peer => Matches(peer, from)))
            ) == true
        );
    }

    /// <summary>Whether <paramref name="from"/> may open a connection to <paramref name="to"/> (a pod, or anywhere when null).</summary>
    private static bool EgressAllowed(List<V1NetworkPolicy> policies, Peer from, Peer? to, int port)
    {
        var applying = policies.Where(p =>
            Selects(p.Spec.PodSelector, from.Labels) && p.Spec.PolicyTypes.Contains("Egress")
        );
        return applying.Any(p =>
            p.Spec.Egress?.Any(rule =>
                PortOpen(rule.Ports, port)
                && (rule.To is null || (to is not null && rule.To.Any(peer => Matches(peer, to))))
            ) == true
        );
    }

    private static bool Allowed(List<V1NetworkPolicy> policies, Peer from, Peer to, int port) =>
        (from.Namespace != "app" || EgressAllowed(policies, from, to, port))
        && IngressAllowed(policies, from, to, port);

    [SkippableTheory]
    [InlineData("overlays/dev")]
    [InlineData("overlays/prod")]
    public void Overlay_Policies_AllowTheApplicationsFlowsAndNoOthers(string overlay)
    {
        var policies = Render(overlay);
        policies.ShouldContain(p => p.Metadata.Name == "default-deny" && p.Spec.PodSelector.MatchLabels == null);

        Allowed(policies, Outside("ingress-nginx"), Pod("sentiment-api"), 8080).ShouldBeTrue("ingress → API");
        Allowed(policies, Outside("monitoring"), Pod("sentiment-api"), 9090).ShouldBeTrue("Prometheus → metrics");
        Allowed(policies, Pod("sentiment-api"), Pod("reviews-db"), 5432).ShouldBeTrue("API → database");
        Allowed(policies, Pod("kibana"), Pod("elasticsearch"), 9200).ShouldBeTrue("Kibana → Elasticsearch");
        Allowed(policies, Pod("kibana-index-pattern"), Pod("kibana"), 5601).ShouldBeTrue("data-view Job → Kibana");
        EgressAllowed(policies, Pod("pipeline-watcher"), null, 443).ShouldBeTrue("watcher → API server");
        EgressAllowed(policies, Pod("pipeline-train"), null, 443).ShouldBeTrue("training Job → DVC remote, MLflow");
        EgressAllowed(
                policies,
                Pod("sentiment-api"),
                Outside("kube-system") with
                {
                    Labels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" },
                },
                53
            )
            .ShouldBeTrue("DNS");

        Allowed(policies, Outside("ingress-nginx"), Pod("sentiment-api"), 9090)
            .ShouldBeFalse("metrics through ingress");
        Allowed(policies, Outside("ingress-nginx"), Pod("kibana"), 5601).ShouldBeFalse("Kibana published");
        Allowed(policies, Outside("elsewhere"), Pod("reviews-db"), 5432).ShouldBeFalse("database from outside");
        Allowed(policies, Pod("sentiment-api"), Pod("elasticsearch"), 9200).ShouldBeFalse("API → Elasticsearch");
        EgressAllowed(policies, Pod("sentiment-api"), null, 443).ShouldBeFalse("API → the internet");
    }

    [SkippableFact]
    public void Datasets_Policy_LetsTheCronJobsReachTheDatabaseAndTheStore()
    {
        var policies = Render("datasets");

        EgressAllowed(policies, Pod("pipeline-datasets"), Pod("reviews-db"), 5432).ShouldBeTrue();
        EgressAllowed(policies, Pod("pipeline-datasets"), null, 443).ShouldBeTrue();
        IngressAllowed(policies, Outside("anywhere"), Pod("pipeline-datasets"), 8080).ShouldBeFalse();
    }

    [Fact]
    public void Ingress_InGit_RoutesOnlyTheApisHttpPort()
    {
        var ingress = KubernetesYaml
            .LoadAllFromString(File.ReadAllText(Path.Combine(K8s, "base", "ingress.yaml")))
            .OfType<V1Ingress>()
            .Single();
        var api = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(K8s, "base", "api.yaml")));

        ingress
            .Spec.Rules.SelectMany(r => r.Http.Paths)
            .Select(p => (p.Backend.Service.Name, p.Backend.Service.Port.Name))
            .ShouldBe([("sentiment-api", "http")]);
        var service = api.OfType<V1Service>().Single();
        service.Spec.Ports.Select(p => p.TargetPort.Value).ShouldBe(["http"], "the metrics port is in no Service");
        var pod = api.OfType<V1Deployment>().Single().Spec.Template;
        pod.Metadata.Annotations["prometheus.io/port"].ShouldBe("9090");
        pod.Spec.Containers.Single().Ports.Single(p => p.Name == "metrics").ContainerPort.ShouldBe(9090);
    }

    [SkippableFact]
    public void PlaylistOverlay_Policies_AllowItsFlowsAndNoOthers()
    {
        var policies = Render("overlays/playlist");
        policies.ShouldContain(p => p.Metadata.Name == "default-deny" && p.Spec.PodSelector.MatchLabels == null);

        Allowed(policies, Outside("ingress-nginx"), Pod("playlist-api"), 8080).ShouldBeTrue("ingress → API");
        Allowed(policies, Outside("monitoring"), Pod("playlist-api"), 9090).ShouldBeTrue("Prometheus → metrics");
        EgressAllowed(policies, Pod("pipeline-watcher"), null, 443).ShouldBeTrue("watcher → API server");
        EgressAllowed(policies, Pod("pipeline-train"), null, 443).ShouldBeTrue("training Job → DVC remote, MLflow");
        Allowed(policies, Outside("somewhere"), Pod("playlist-api"), 8080).ShouldBeFalse("only the ingress reaches it");
        EgressAllowed(policies, Pod("playlist-api"), null, 443).ShouldBeFalse("the API calls nothing out");
    }

    [SkippableTheory]
    [InlineData("overlays/dev", null)]
    [InlineData("overlays/prod", "false")]
    public void Overlay_Api_ServesTheInteractiveDocsOutsideProductionOnly(string overlay, string? apiDocs)
    {
        var api = RenderAll(overlay).OfType<V1Deployment>().Single(d => d.Metadata.Name == "sentiment-api");

        var value = api
            .Spec.Template.Spec.Containers.Single()
            .Env.SingleOrDefault(e => e.Name == "Sentiment__ApiDocs")
            ?.Value;

        value.ShouldBe(apiDocs);
    }
}
