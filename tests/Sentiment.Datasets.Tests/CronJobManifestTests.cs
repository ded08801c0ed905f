using Pipeline.Testing;
using YamlDotNet.RepresentationModel;

namespace Sentiment.Datasets.Tests;

/// <summary>The CronJobs in k8s/datasets, rendered by the real kubectl kustomize.</summary>
[Trait("Category", "Integration")]
public sealed class CronJobManifestTests
{
    [SkippableFact]
    public void Kustomize_DatasetsFolder_RendersTheDailyAndMonthlyCronJobsSafely()
    {
        TestTools.Require("kubectl");
        var (exit, output) = ExternalTools.Run(
            "kubectl",
            ["kustomize", Path.Combine(Fixtures.RepositoryRoot, "k8s", "datasets")],
            TimeSpan.FromSeconds(60)
        );
        exit.ShouldBe(0, output);

        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var cronJobs = stream
            .Documents.Select(d => (YamlMappingNode)d.RootNode)
            .Where(d => d["kind"].ToString() == "CronJob")
            .ToList();

        cronJobs
            .Select(c => (c["metadata"]["name"].ToString(), c["spec"]["schedule"].ToString()))
            .ShouldBe(
                [("datasets-collect-daily", "0 0 * * *"), ("datasets-create-monthly", "0 1 1 * *")],
                ignoreOrder: true
            );
        foreach (var job in cronJobs)
        {
            var pod = job["spec"]["jobTemplate"]["spec"]["template"]["spec"];
            pod["securityContext"]["runAsNonRoot"].ToString().ShouldBe("true");
            var container = ((YamlSequenceNode)pod["containers"]).Children[0];
            container["image"].ToString().ShouldNotEndWith(":latest");
            container["image"].ToString().ShouldContain(":");
            container["resources"]["limits"]["memory"].ToString().ShouldNotBeNullOrEmpty();
            container["securityContext"]["readOnlyRootFilesystem"].ToString().ShouldBe("true");
            job["spec"]["concurrencyPolicy"].ToString().ShouldBe("Forbid");
        }
    }
}
