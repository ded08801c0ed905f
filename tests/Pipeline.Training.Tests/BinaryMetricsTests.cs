using System.Text.Json;
using Pipeline.Testing;
using Pipeline.Training.Reports;

namespace Pipeline.Training.Tests;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void Compute_KnownScores_GivesScikitLearnsNaturalLogLossAndAuc()
    {
        // sklearn.metrics.log_loss([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.3]) == 0.19763488164214868
        var (metrics, confusion) = BinaryMetrics.Compute([true, false, true, false], [0.9, 0.1, 0.8, 0.3]);

        metrics["log_loss"].ShouldBe(0.19763488164214868, 1e-12);
        metrics["auc"].ShouldBe(1.0);
        metrics["accuracy"].ShouldBe(1.0);
        confusion.ShouldBe(new ConfusionMatrix(2, 0, 2, 0));
    }

    [Fact]
    public void Compute_ConfidentMistakes_KeepsEveryMetricFinite()
    {
        // A perceptron's calibrated output can be exactly 0 or 1; the loss of such a mistake is capped, not infinite.
        var (metrics, _) = BinaryMetrics.Compute([true, false, true], [0.0, 1.0, double.NaN]);

        metrics.Values.ShouldAllBe(v => double.IsFinite(v));
        metrics["log_loss"].ShouldBe((-Math.Log(BinaryMetrics.Epsilon) * 2 - Math.Log(0.5)) / 3, 1e-3);
    }

    [Fact]
    public void Compute_OneClassOnly_LeavesUndefinedMetricsOutRatherThanNaN()
    {
        var (metrics, _) = BinaryMetrics.Compute([true, true], [0.7, 0.4]);

        metrics.Keys.ShouldNotContain("auc");
        metrics.Keys.ShouldNotContain("negative_recall");
        metrics["accuracy"].ShouldBe(0.5);
    }

    [Fact]
    public void Compute_ProbabilityAtHalf_IsPositive()
    {
        var (_, confusion) = BinaryMetrics.Compute([true, false], [0.5, 0.49]);

        confusion.ShouldBe(new ConfusionMatrix(1, 0, 1, 0));
    }

    [Fact]
    public void Report_MetricsFromAConfidentMistake_WriteValidJson()
    {
        using var folder = new TempDirectory("metrics");
        var (metrics, confusion) = BinaryMetrics.Compute([true, false], [0.0, 1.0]);

        BinaryClassificationReport.Write(
            folder.Path,
            "test",
            metrics,
            BinaryClassificationReport.RocCurve([(true, 0.0), (false, 1.0)]),
            confusion,
            new Dictionary<string, string>(),
            new DatasetSummary("d.csv", "md5", 2, 0, 2, [])
        );

        using var json = JsonDocument.Parse(File.ReadAllText(folder.Combine("metrics.json")));
        json.RootElement.GetProperty("log_loss").GetDouble().ShouldBeGreaterThan(30);
    }
}
