using Pipeline.Delivery.Deploy;
using Pipeline.Delivery.Images;

namespace Pipeline.Delivery.Tests.Deploy;

public sealed class DeployPlanTests
{
    private const string Rendered = """
        apiVersion: v1
        kind: Service
        metadata: { name: sentiment-api, namespace: sentiment }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: sentiment-api, namespace: sentiment }
        spec:
          selector: { matchLabels: { app.kubernetes.io/name: sentiment-api } }
          template:
            spec:
              containers:
                - { name: api, image: "127.0.0.1:5055/sentiment-api:0000000-0" }
                - { name: sidecar, image: "docker.io/fluent/fluent-bit:3.1" }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: kibana }
        spec:
          template: { spec: { containers: [ { name: kibana, image: "docker.elastic.co/kibana/kibana:8.15.3" } ] } }
        """;

    private static readonly BuiltImage Pushed = new(
        "sentiment-api",
        "registry.example.com/ml/sentiment-api",
        ["3f1c2a9-7", "latest"],
        "sha256:1d"
    )
    {
        Digest = "sha256:abc",
    };

    [Fact]
    public void From_DeploymentRunningOurImage_RollsItToTheDigest()
    {
        var rollout = DeployPlan.From(Rendered, [Pushed]).ShouldHaveSingleItem();

        rollout.ShouldBe(
            new ImageRollout(
                "sentiment",
                "sentiment-api",
                "api",
                "registry.example.com/ml/sentiment-api@sha256:abc",
                rollout.Selector,
                "127.0.0.1:5055/sentiment-api:0000000-0"
            )
        );
        rollout.Resource.ShouldBe("deployment/sentiment-api");
        rollout.Selector.ShouldBe(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "sentiment-api" });
    }

    [Fact]
    public void From_ImageNotPushedYet_UsesTheImmutableTagNeverLatest()
    {
        var built = Pushed with { Digest = null };

        DeployPlan
            .From(Rendered, [built])
            .ShouldHaveSingleItem()
            .Image.ShouldBe("registry.example.com/ml/sentiment-api:3f1c2a9-7");
    }

    [Fact]
    public void From_NoImageOfOurs_IsEmpty()
    {
        DeployPlan.From(Rendered, [Pushed with { Name = "pipeline-train" }]).ShouldBeEmpty();
    }

    [Fact]
    public void Pin_RenderedManifests_CarryTheDigestAndLeaveOtherImagesAlone()
    {
        const string kustomized =
            "      containers:\n      - image: 127.0.0.1:5055/sentiment-api:0000000-0\n        name: api\n      - image: docker.io/fluent/fluent-bit:3.1\n";

        var pinned = DeployPlan.Pin(
            kustomized,
            [
                new ImageRollout(
                    "ns",
                    "sentiment-api",
                    "api",
                    "r/sentiment-api@sha256:abc",
                    new Dictionary<string, string>(),
                    "127.0.0.1:5055/sentiment-api:0000000-0"
                ),
            ],
            []
        );

        pinned.ShouldBe(
            "      containers:\n      - image: r/sentiment-api@sha256:abc\n        name: api\n      - image: docker.io/fluent/fluent-bit:3.1\n"
        );
    }

    [Fact]
    public void Pin_ConfigMapJobTemplate_PinsOnlyPlaceholderReferencesOfBuiltImages()
    {
        const string kustomized = """
            data:
              training-job.yaml: |
                containers:
                  - name: train
                    image: 127.0.0.1:5055/pipeline-train:0000000-0
                  - name: other
                    image: 127.0.0.1:5055/pipeline-train-canary:0000000-0
            env:
              - { name: TRAIN_IMAGE, value: "127.0.0.1:5055/pipeline-train:0000000-0" }
              - { name: PINNED, value: "127.0.0.1:5055/pipeline-train:1.2.3" }
            """;
        BuiltImage[] images =
        [
            new("pipeline-train", "r.example.com/ml/pipeline-train", ["1.4.0"], "sha256:id", "sha256:def"),
        ];

        var pinned = DeployPlan.Pin(kustomized, [], images);

        pinned.ShouldContain("image: r.example.com/ml/pipeline-train@sha256:def\n");
        pinned.ShouldContain("value: \"r.example.com/ml/pipeline-train@sha256:def\"");
        pinned.ShouldContain("127.0.0.1:5055/pipeline-train-canary:0000000-0"); // not ours
        pinned.ShouldContain("127.0.0.1:5055/pipeline-train:1.2.3"); // pinned by hand
    }

    [Theory]
    [InlineData("sentiment-api", "sentiment-api")]
    [InlineData("127.0.0.1:5055/sentiment-api:0000000-0", "sentiment-api")]
    [InlineData("registry.example.com/ml/sentiment-api@sha256:abc", "sentiment-api")]
    [InlineData("localhost:5000/sentiment-api-canary:1", "sentiment-api-canary")]
    public void RepositoryName_AnyReference_IsTheLastPathSegment(string image, string expected)
    {
        DeployPlan.RepositoryName(image).ShouldBe(expected);
    }

    private const string Scaled = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - image: 127.0.0.1:5055/sentiment-api:0000000-0
                name: api
              volumes:
              - configMap:
                  name: job-template-5f8c2k9m4t
                name: template
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: worker
        spec:
          replicas: 3
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: api
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: api
        ---
        apiVersion: v1
        data:
          job.yaml: |
            image: 127.0.0.1:5055/sentiment-api:0000000-0
        kind: ConfigMap
        metadata:
          name: job-template-5f8c2k9m4t

        """;

    [Fact]
    public void Pin_DeploymentAnAutoscalerScales_LeavesItsReplicasOutAndKeepsOthers()
    {
        var pinned = DeployPlan.Pin(Scaled, DeployPlan.From(Scaled, [Pushed]), [Pushed]);

        var documents = pinned.Split("---\n");
        documents[0].ShouldNotContain("replicas:");
        documents[1].ShouldContain("replicas: 3");
    }

    [Fact]
    public void Pin_GeneratedConfigMapWhosePinnedContentChanged_GetsANewNameEverywhere()
    {
        var pinned = DeployPlan.Pin(Scaled, DeployPlan.From(Scaled, [Pushed]), [Pushed]);
        var other = DeployPlan.Pin(
            Scaled,
            DeployPlan.From(Scaled, [Pushed with { Digest = "sha256:def" }]),
            [Pushed with { Digest = "sha256:def" }]
        );

        pinned.ShouldNotContain("job-template-5f8c2k9m4t");
        var name = System.Text.RegularExpressions.Regex.Match(pinned, @"job-template-[a-z0-9]{10}").Value;
        System.Text.RegularExpressions.Regex.Count(pinned, name).ShouldBe(2, "the ConfigMap and its mount");
        other.Contains(name, StringComparison.Ordinal).ShouldBeFalse("another digest, another name");
        DeployPlan
            .Pin(Scaled, DeployPlan.From(Scaled, [Pushed]), [Pushed])
            .ShouldBe(pinned, "the same digest, the same name");
    }

    [Fact]
    public void ObjectsAndNamespaces_RenderedStream_ListKindsAndTheNamespacesToCreateFirst()
    {
        const string yaml = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: app
            ---
            apiVersion: external-secrets.io/v1beta1
            kind: ExternalSecret
            metadata:
              name: db

            """;

        DeployPlan
            .Objects(yaml)
            .ShouldBe([("v1/Namespace", "app"), ("external-secrets.io/v1beta1/ExternalSecret", "db")]);
        DeployPlan.Namespaces(yaml).ShouldContain("name: app");
        DeployPlan.Namespaces(yaml).ShouldNotContain("ExternalSecret");
    }
}
