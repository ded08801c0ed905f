using k8s.Models;
using Pipeline.Testing;

namespace Pipeline.Watcher.Tests;

public sealed class TrainingJobsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 4, 5, 6, TimeSpan.Zero);

    [Fact]
    public void NameFor_PlainDataset_IsTrainDatasetTimestamp() =>
        TrainingJobs.NameFor("imdb-reviews", At).ShouldBe("train-imdb-reviews-20261123-040506");

    [Theory]
    [InlineData("IMDB Reviews (2026)/v2.csv")]
    [InlineData("a-very-long-dataset-name-that-would-never-fit-into-a-kubernetes-object-name-at-all")]
    [InlineData("---")]
    [InlineData("Ünïcödé_데이터")]
    public void NameFor_AnyDatasetName_IsADnsLabelOfAtMost63(string dataset)
    {
        var name = TrainingJobs.NameFor(dataset, At);

        name.Length.ShouldBeLessThanOrEqualTo(63);
        TrainingJobs.IsDnsLabel(name).ShouldBeTrue(name);
        name.ShouldStartWith("train-");
        name.ShouldEndWith("-20261123-040506");
    }

    [Fact]
    public void HashOf_KeyOrder_DoesNotMatter() =>
        ConfigChange
            .HashOf(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" })
            .ShouldBe(ConfigChange.HashOf(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));

    [Fact]
    public void HashOf_ValueMovedBetweenKeys_Differs() =>
        ConfigChange
            .HashOf(new Dictionary<string, string> { ["a"] = "12", ["b"] = "" })
            .ShouldNotBe(ConfigChange.HashOf(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));

    [Fact]
    public void From_MetadataOnlyEdit_KeepsTheHash()
    {
        var data = new Dictionary<string, string> { ["DATASET_NAME"] = "imdb" };
        var before = ConfigChange.From(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = "dataset-config", ResourceVersion = "1" },
                Data = data,
            }
        );
        var after = ConfigChange.From(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "dataset-config",
                    ResourceVersion = "2",
                    Labels = new Dictionary<string, string> { ["x"] = "y" },
                },
                Data = data,
            }
        );

        after.Hash.ShouldBe(before.Hash);
        after.Dataset.ShouldBe("imdb");
    }

    [Fact]
    public void Build_Template_KeepsItsOwnSettingsAndAddsHashAndPinnedData()
    {
        using var folder = new TempDirectory("jobs");
        var template = folder.Write(
            "job.yaml",
            """
            apiVersion: batch/v1
            kind: Job
            metadata: { name: template }
            spec:
              backoffLimit: 3
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: train
                      image: pipeline-train
                      env: [{ name: DATASET_PATH, value: stale }, { name: KEEP, value: me }]
            """
        );
        var options = new WatcherOptions { Namespace = "ml", JobTemplate = template };
        var jobs = new TrainingJobs(
            new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }),
            options,
            TimeProvider.System
        );
        var change = new ConfigChange(
            "0123456789abcdef0123456789abcdef",
            "imdb",
            new Dictionary<string, string> { ["DATASET_PATH"] = "data/v2.csv" },
            "42"
        );

        var job = jobs.Build(jobs.LoadTemplate(), change, At);

        job.Metadata.Name.ShouldBe("train-imdb-20261123-040506");
        job.Metadata.NamespaceProperty.ShouldBe("ml");
        job.Spec.BackoffLimit.ShouldBe(3);
        job.Spec.TtlSecondsAfterFinished.ShouldBe(86_400);
        job.Metadata.Labels[TrainingJobs.HashLabel].ShouldBe(change.Hash);
        job.Spec.Template.Metadata.Labels[TrainingJobs.HashLabel].ShouldBe(change.Hash);
        job.Metadata.Annotations[TrainingJobs.ResourceVersionAnnotation].ShouldBe("42");
        var env = job.Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        env["DATASET_PATH"].ShouldBe("data/v2.csv");
        env["KEEP"].ShouldBe("me");
        env[TrainingJobs.HashVariable].ShouldBe(change.Hash);
    }

    [Fact]
    public void Build_ShippedTemplate_FeedsTheTrainerItsDatasetAndKeepsTheTemplateLimits()
    {
        var options = new WatcherOptions
        {
            Namespace = "sentiment",
            JobTemplate = Path.Combine(Fixtures.RepositoryRoot, "k8s", "continuous-training", "training-job.yaml"),
        };
        var jobs = new TrainingJobs(
            new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }),
            options,
            TimeProvider.System
        );
        var data = new Dictionary<string, string>
        {
            ["DATASET_PATH"] = "data/train.csv",
            ["DATASET_NAME"] = "imdb-reviews",
            ["DATASET_MD5"] = new string('a', 32),
            ["DATASET_REMOTE"] = "s3://bucket/dvc",
            ["MODEL_NAME"] = "sentiment",
        };

        var job = jobs.Build(
            jobs.LoadTemplate(),
            new ConfigChange(ConfigChange.HashOf(data), "imdb-reviews", data, "7"),
            At
        );

        var train = job.Spec.Template.Spec.Containers.Single();
        train.Args.ShouldContain("$(DATASET_MD5)"); // expanded by the kubelet from the pinned env below
        train.Args.ShouldContain("$(DATASET_REMOTE)");
        train.Env.Single(e => e.Name == "DATASET_MD5").Value.ShouldBe(new string('a', 32));
        var credentials = train.Env.Single(e => e.Name == "AWS_ACCESS_KEY_ID").ValueFrom.SecretKeyRef; // the template's own env survives
        (credentials.Name, credentials.Key, credentials.Optional).ShouldBe(
            ("dataset-bucket", "access-key-id", (bool?)true)
        );
        train.Args.ShouldContain("/models/current");
        job.Spec.TtlSecondsAfterFinished.ShouldBe(86_400);
        job.Spec.BackoffLimit.ShouldBe(1);
        job.Spec.Template.Spec.RestartPolicy.ShouldBe("Never");
    }

    [Fact]
    public void LoadTemplate_MissingFile_NamesTheFlagAndFile()
    {
        var options = new WatcherOptions { JobTemplate = "/nonexistent/training-job.yaml" };
        var jobs = new TrainingJobs(
            new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }),
            options,
            TimeProvider.System
        );

        Should
            .Throw<WatcherOptionsException>(jobs.LoadTemplate)
            .Message.ShouldBe("--job-template: /nonexistent/training-job.yaml does not exist.");
    }

    [Fact]
    public void LoadTemplate_NotAJob_NamesTheFile()
    {
        using var folder = new TempDirectory("jobs");
        var options = new WatcherOptions
        {
            JobTemplate = folder.Write("job.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n"),
        };
        var jobs = new TrainingJobs(
            new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }),
            options,
            TimeProvider.System
        );

        Should.Throw<WatcherOptionsException>(jobs.LoadTemplate).Message.ShouldContain("is not a batch/v1 Job");
    }
}
