using k8s;
using k8s.Models;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>The k8s/ manifests, loaded with KubernetesClient's typed YAML loader, as written and as each overlay renders them.</summary>
public sealed class ManifestTests
{
    private static readonly string K8s = Path.Combine(Fixtures.RepositoryRoot, "k8s");

    /// <summary>The custom resources we ship, which KubernetesClient has no model for.</summary>
    private static readonly Dictionary<string, Type> CustomResources = new(StringComparer.Ordinal)
    {
        ["external-secrets.io/v1beta1/ExternalSecret"] = typeof(CustomResource),
        ["argoproj.io/v1alpha1/Application"] = typeof(CustomResource),
    };

    public static TheoryData<string> Overlays => ["dev", "prod"];

    private static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomResources);

    private static List<object> InGit(string? under = null) =>
        [
            .. Directory
                .EnumerateFiles(under is null ? K8s : Path.Combine(K8s, under), "*.yaml", SearchOption.AllDirectories)
                .Where(f =>
                    Path.GetFileName(f) != "kustomization.yaml"
                    && Path.GetFileName(Path.GetDirectoryName(f)) != "patches"
                )
                .SelectMany(f => Load(File.ReadAllText(f))),
        ];

    private static IEnumerable<(string Owner, V1PodSpec Pod, IDictionary<string, string> Labels)> PodSpecs(
        IEnumerable<object> documents
    ) =>
        documents.SelectMany<object, (string, V1PodSpec, IDictionary<string, string>)>(d =>
            d switch
            {
                V1Deployment x =>
                [
                    ($"Deployment/{x.Metadata.Name}", x.Spec.Template.Spec, x.Spec.Template.Metadata.Labels),
                ],
                V1StatefulSet x =>
                [
                    ($"StatefulSet/{x.Metadata.Name}", x.Spec.Template.Spec, x.Spec.Template.Metadata.Labels),
                ],
                V1Job x => [($"Job/{x.Metadata.Name}", x.Spec.Template.Spec, x.Spec.Template.Metadata.Labels)],
                V1CronJob x =>
                [
                    (
                        $"CronJob/{x.Metadata.Name}",
                        x.Spec.JobTemplate.Spec.Template.Spec,
                        x.Spec.JobTemplate.Spec.Template.Metadata.Labels
                    ),
                ],
                _ => [],
            }
        );

    [Fact]
    public void Manifests_InGit_LoadAsTypedObjectsAndHoldNoSecretData()
    {
        var documents = InGit();

        documents.Count.ShouldBeGreaterThan(15);
        documents.OfType<V1Secret>().ShouldBeEmpty("Secrets come from a git-ignored env file or an ExternalSecret");
        File.ReadAllText(Path.Combine(K8s, "overlays", "dev", "secrets.env.example")).ShouldContain("password=\n");
        File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, ".gitignore"))
            .ShouldContain("/k8s/overlays/*/secrets.env");
    }

    [Fact]
    public void Containers_Everywhere_HaveLimitsRunAsNonRootAndNoLatestTag()
    {
        foreach (var (owner, pod, _) in PodSpecs(InGit()))
        {
            pod.SecurityContext?.RunAsNonRoot.ShouldBe(true, owner);
            foreach (var container in pod.Containers)
            {
                var name = $"{owner} container {container.Name}";
                container.Resources?.Limits.ShouldNotBeNull(name);
                container.Resources!.Limits.Keys.ShouldBe(["cpu", "memory"], ignoreOrder: true, name);
                container.Resources.Requests.ShouldNotBeNull(name);
                container.Image.EndsWith(":latest", StringComparison.Ordinal).ShouldBeFalse(name);
                container.SecurityContext?.AllowPrivilegeEscalation.ShouldBe(false, name);
            }
        }
    }

    [Fact]
    public void LongRunningContainers_Always_HaveStartupReadinessAndLivenessProbes()
    {
        foreach (
            var (owner, pod, _) in PodSpecs(InGit())
                .Where(p =>
                    p.Owner.StartsWith("Deployment/", StringComparison.Ordinal)
                    || p.Owner.StartsWith("StatefulSet/", StringComparison.Ordinal)
                )
        )
        {
            foreach (var container in pod.Containers)
            {
                container.StartupProbe.ShouldNotBeNull($"{owner} {container.Name}");
                container.ReadinessProbe.ShouldNotBeNull($"{owner} {container.Name}");
                container.LivenessProbe.ShouldNotBeNull($"{owner} {container.Name}");
            }
        }
    }

    [Fact]
    public void Api_Deployment_RollsWithoutDowntimeOnAReadOnlyRootAsNonRoot()
    {
        var api = InGit().OfType<V1Deployment>().Single(d => d.Metadata.Name == "sentiment-api");

        api.Spec.Replicas.ShouldBeNull("the autoscaler owns the count; an apply must not take it back");
        api.Spec.Strategy.RollingUpdate.MaxUnavailable.Value.ShouldBe("0");
        var container = api.Spec.Template.Spec.Containers.Single();
        container.SecurityContext.ReadOnlyRootFilesystem.ShouldBe(true);
        container.LivenessProbe.HttpGet.Path.ShouldBe("/health/live");
        container.ReadinessProbe.HttpGet.Path.ShouldBe("/health/ready");
        var hpa = InGit().OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == "sentiment-api");
        (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas).ShouldBe((2, 5));
        hpa.Spec.Metrics.Single().Resource.Name.ShouldBe("cpu");
    }

    [Trait("Category", "Integration")]
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void Overlay_RenderedByKubectlKustomize_SelectorsServicePortsAndHpaTargetsMatch(string overlay)
    {
        var rendered = Render(overlay);

        var workloads = PodSpecs(rendered).ToList();
        foreach (var deployment in rendered.OfType<V1Deployment>())
        {
            deployment.Spec.Selector.MatchLabels.ShouldBeSubsetOf(
                deployment.Spec.Template.Metadata.Labels,
                $"Deployment/{deployment.Metadata.Name}"
            );
        }

        foreach (var set in rendered.OfType<V1StatefulSet>())
        {
            set.Spec.Selector.MatchLabels.ShouldBeSubsetOf(
                set.Spec.Template.Metadata.Labels,
                $"StatefulSet/{set.Metadata.Name}"
            );
            rendered
                .OfType<V1Service>()
                .ShouldContain(
                    s => s.Metadata.Name == set.Spec.ServiceName,
                    $"StatefulSet/{set.Metadata.Name} governing Service"
                );
        }

        foreach (var service in rendered.OfType<V1Service>())
        {
            var targets = workloads
                .Where(w => service.Spec.Selector.All(s => w.Labels.TryGetValue(s.Key, out var v) && v == s.Value))
                .ToList();
            targets.ShouldNotBeEmpty($"Service/{service.Metadata.Name} selects no pods");
            var containerPorts = targets.SelectMany(t => t.Pod.Containers).SelectMany(c => c.Ports ?? []).ToList();
            foreach (var port in service.Spec.Ports)
            {
                containerPorts.ShouldContain(
                    p => p.Name == port.TargetPort.Value || p.ContainerPort.ToString() == port.TargetPort.Value,
                    $"Service/{service.Metadata.Name} port {port.Name} → {port.TargetPort.Value}"
                );
            }
        }

        foreach (var hpa in rendered.OfType<V2HorizontalPodAutoscaler>())
        {
            rendered
                .OfType<V1Deployment>()
                .ShouldContain(d =>
                    hpa.Spec.ScaleTargetRef.Kind == "Deployment" && d.Metadata.Name == hpa.Spec.ScaleTargetRef.Name
                );
        }

        foreach (var ingress in rendered.OfType<V1Ingress>())
        {
            foreach (var path in ingress.Spec.Rules.SelectMany(r => r.Http.Paths))
            {
                rendered
                    .OfType<V1Service>()
                    .ShouldContain(s =>
                        s.Metadata.Name == path.Backend.Service.Name
                        && s.Spec.Ports.Any(p => p.Name == path.Backend.Service.Port.Name)
                    );
            }
        }

        foreach (var image in workloads.SelectMany(w => w.Pod.Containers).Select(c => c.Image))
        {
            var tag = image.Contains('@', StringComparison.Ordinal)
                ? "digest"
                : image[(image.LastIndexOf('/') + 1)..].Split(':').ElementAtOrDefault(1);
            tag.ShouldNotBeNull($"{image} has no tag, which means :latest");
            tag.ShouldNotBe("latest", image);
        }

        rendered
            .OfType<V1ConfigMap>()
            .Single(c => c.Metadata.Name == "dataset-config")
            .Data.Keys.ShouldBe(
                ["DATASET_NAME", "DATASET_PATH", "DATASET_MD5", "DATASET_REMOTE", "MODEL_NAME"],
                ignoreOrder: true
            );
        rendered
            .OfType<V1Deployment>()
            .Single(d => d.Metadata.Name == "sentiment-api")
            .Spec.Template.Spec.Containers.Single()
            .Image.ShouldBe("127.0.0.1:5055/sentiment-api:0000000-0");
        rendered
            .OfType<IMetadata<V1ObjectMeta>>()
            .Where(o => o is not V1Namespace)
            .ShouldAllBe(o => o.Metadata.NamespaceProperty == (overlay == "dev" ? "sentiment-dev" : "sentiment"));
    }

    [Trait("Category", "Integration")]
    [SkippableFact]
    public void PlaylistOverlay_RenderedByKubectlKustomize_IsItsOwnNamespaceWithTheWatcherOnItsApi()
    {
        var rendered = Render("playlist");

        rendered
            .OfType<IMetadata<V1ObjectMeta>>()
            .Where(o => o is not V1Namespace)
            .ShouldAllBe(o => o.Metadata.NamespaceProperty == "playlist-dev");
        var api = rendered.OfType<V1Deployment>().Single(d => d.Metadata.Name == "playlist-api");
        api.Spec.Template.Spec.Containers.Single().Image.ShouldBe("127.0.0.1:5055/playlist-api:0000000-0");
        api.Spec.Template.Spec.Containers.Single().Env.Select(e => e.Name).ShouldContain("Playlist__SeedModelPath");
        var watcher = rendered.OfType<V1Deployment>().Single(d => d.Metadata.Name == "pipeline-watcher");
        watcher.Spec.Template.Spec.Containers.Single().Args.ShouldContain("playlist-api");
        rendered
            .OfType<V1ConfigMap>()
            .Single(c => c.Metadata.Name.StartsWith("training-job-template", StringComparison.Ordinal))
            .Data.Values.Single()
            .ShouldContain("/app/config/playlist.json");
        rendered
            .OfType<V1ConfigMap>()
            .Single(c => c.Metadata.Name == "dataset-config")
            .Data["MODEL_NAME"]
            .ShouldBe("playlist");
    }

    [Theory]
    [InlineData("continuous-training", "sentiment-api")]
    [InlineData("overlays/playlist", "playlist-api")]
    public void WatcherRole_InGit_GrantsExactlyWhatTheControllerUses(string folder, string api)
    {
        var role = InGit(folder).OfType<V1Role>().Single(r => r.Metadata.Name == "pipeline-watcher");

        var rules = role
            .Rules.Select(r =>
                $"{string.Join(',', r.ApiGroups)}|{string.Join(',', r.Resources)}|{string.Join(',', r.ResourceNames ?? [])}|{string.Join(',', r.Verbs)}"
            )
            .ToList();
        rules.ShouldBe([
            "|configmaps|dataset-config|get,watch",
            "batch|jobs||create,get,list",
            $"apps|deployments|{api}|get,patch",
            "|events||create",
            "coordination.k8s.io|leases||create",
            "coordination.k8s.io|leases|pipeline-watcher|get,update",
        ]);
        var binding = InGit(folder).OfType<V1RoleBinding>().Single(b => b.Metadata.Name == "pipeline-watcher");
        binding.RoleRef.Name.ShouldBe("pipeline-watcher");
        binding.Subjects.ShouldHaveSingleItem().Name.ShouldBe("pipeline-watcher");
    }

    [Trait("Category", "Integration")]
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void Overlay_RenderedByKubectlKustomize_WiresContinuousTraining(string overlay)
    {
        var rendered = Render(overlay);

        var template = rendered
            .OfType<V1ConfigMap>()
            .Single(c => c.Metadata.Name.StartsWith("training-job-template-", StringComparison.Ordinal));
        var job = KubernetesYaml.Deserialize<V1Job>(template.Data["training-job.yaml"]);
        job.Spec.Template.Spec.Containers.Single().Args.ShouldContain("--extract-to");
        job.Spec.Template.Spec.Volumes.Select(v => v.PersistentVolumeClaim?.ClaimName).ShouldContain("models");
        var watcher = rendered.OfType<V1Deployment>().Single(d => d.Metadata.Name == "pipeline-watcher");
        watcher.Spec.Replicas.ShouldBe(2);
        watcher.Spec.Template.Spec.ServiceAccountName.ShouldBe("pipeline-watcher");
        watcher.Spec.Template.Spec.Volumes.Single().ConfigMap.Name.ShouldBe(template.Metadata.Name);
        var check = rendered.OfType<V1CronJob>().Single(c => c.Metadata.Name == "pipeline-watcher-check");
        check.Spec.Suspend.ShouldBe(true);
        check.Spec.ConcurrencyPolicy.ShouldBe("Forbid");
        check.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Args.ShouldContain("--once");
        check.Spec.JobTemplate.Spec.Template.Spec.Volumes.Single().ConfigMap.Name.ShouldBe(template.Metadata.Name);
        var api = rendered.OfType<V1Deployment>().Single(d => d.Metadata.Name == "sentiment-api");
        var env = api.Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name, e => e.Value);
        (env["Sentiment__ModelPath"], env["Sentiment__SeedModelPath"]).ShouldBe(("/models/current", "/app/model"));
        api.Spec.Template.Spec.Volumes.Select(v => v.PersistentVolumeClaim?.ClaimName).ShouldContain("models");
        rendered.OfType<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ShouldBe(["models"]);
        job.Spec.Template.Spec.Containers.Single().Args.ShouldContain("$(DATASET_MD5)");
        rendered
            .OfType<V1RoleBinding>()
            .Single()
            .Subjects.Single()
            .NamespaceProperty.ShouldBe(overlay == "dev" ? "sentiment-dev" : "sentiment");
    }

    [Trait("Category", "Integration")]
    [SkippableFact]
    public void DevOverlay_WithoutSecretsEnv_FailsNamingTheFile()
    {
        TestTools.Require("kubectl");
        using var copy = CopyOfK8s(withSecrets: false);

        var (exit, output) = ExternalTools.Run(
            "kubectl",
            ["kustomize", Path.Combine(copy.Path, "overlays", "dev")],
            TimeSpan.FromMinutes(1)
        );

        exit.ShouldNotBe(0);
        output.ShouldContain("secrets.env");
    }

    private static List<object> Render(string overlay)
    {
        TestTools.Require("kubectl");
        using var copy = CopyOfK8s(withSecrets: true);
        var (exit, output) = ExternalTools.Run(
            "kubectl",
            ["kustomize", Path.Combine(copy.Path, "overlays", overlay)],
            TimeSpan.FromMinutes(1)
        );
        exit.ShouldBe(0, output);
        return Load(output);
    }

    private static TempDirectory CopyOfK8s(bool withSecrets)
    {
        var copy = new TempDirectory("k8s");
        K8sCopy.Into(copy.Path, withSecrets);
        return copy;
    }

    public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public V1ObjectMeta Metadata { get; set; } = new();

        public Dictionary<string, object>? Spec { get; set; }
    }
}
