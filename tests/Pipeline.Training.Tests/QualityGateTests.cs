using Pipeline.Testing;
using Pipeline.Training.Reports;

namespace Pipeline.Training.Tests;

public sealed class QualityGateTests
{
    private static readonly GateOptions Options = new(
        new Dictionary<string, double> { ["accuracy"] = 0.85, ["auc"] = 0.9 },
        "accuracy",
        0.01
    );

    [Fact]
    public void Evaluate_AboveFloorsWithoutChampion_Passes()
    {
        var result = QualityGate.Evaluate(
            new Dictionary<string, double> { ["accuracy"] = 0.9, ["auc"] = 0.95 },
            Options,
            null
        );

        result.Passed.ShouldBeTrue();
        result.Describe().ShouldBe("Quality gate passed: accuracy 0.9000 >= floor 0.8500; auc 0.9500 >= floor 0.9000");
    }

    [Fact]
    public void Evaluate_BelowAFloor_FailsGivingTheNumbers()
    {
        var result = QualityGate.Evaluate(
            new Dictionary<string, double> { ["accuracy"] = 0.8, ["auc"] = 0.95 },
            Options,
            null
        );

        result.Passed.ShouldBeFalse();
        result.Describe().ShouldBe("Quality gate failed: accuracy 0.8000 < floor 0.8500");
    }

    [Fact]
    public void Evaluate_UnmeasuredFloorMetric_Fails()
    {
        QualityGate
            .Evaluate(new Dictionary<string, double> { ["accuracy"] = 0.9 }, Options, null)
            .Failures.ShouldBe(["auc was not measured (floor 0.9000)"]);
    }

    [Fact]
    public void Evaluate_WorseThanChampionBeyondMargin_Fails()
    {
        var champion = new Champion("sentiment-model v3", new Dictionary<string, double> { ["accuracy"] = 0.93 });

        var result = QualityGate.Evaluate(
            new Dictionary<string, double> { ["accuracy"] = 0.91, ["auc"] = 0.95 },
            Options,
            champion
        );

        result.Passed.ShouldBeFalse();
        result.Failures.ShouldBe([
            "accuracy 0.9100 vs champion sentiment-model v3 0.9300 as logged in its own run (allowed drop 0.0100)",
        ]);
    }

    [Fact]
    public void Evaluate_SlightlyWorseThanChampionWithinMargin_Passes()
    {
        var champion = new Champion("v3", new Dictionary<string, double> { ["accuracy"] = 0.915 });

        QualityGate
            .Evaluate(new Dictionary<string, double> { ["accuracy"] = 0.91, ["auc"] = 0.95 }, Options, champion)
            .Passed.ShouldBeTrue();
    }

    [Fact]
    public void RocCurve_PerfectScores_GoesUpThenAcross()
    {
        var roc = BinaryClassificationReport.RocCurve([(true, 0.9), (true, 0.8), (false, 0.2), (false, 0.1)]);

        roc.ShouldBe([(0, 0), (0, 0.5), (0, 1), (0.5, 1), (1, 1)]);
    }

    [Fact]
    public void Config_ParamOverridesAndHash_AreStable()
    {
        using var temp = new TempDirectory("config");
        var path = temp.Write(
            "t.json",
            "{ // comment\n \"model\": \"sentiment\", \"params\": { \"l2\": 0.1, \"trainer\": \"lbfgs\" } }"
        );

        var a = TrainingConfig.Load(path, ["l2=0.5"]);
        var b = TrainingConfig.Load(path, ["l2=0.5"]);
        var c = TrainingConfig.Load(path, []);

        a.Params["l2"].ShouldBe("0.5");
        a.Hash.ShouldBe(b.Hash);
        a.Hash.ShouldNotBe(c.Hash);
        a.Experiment.ShouldBe("sentiment");
        a.RegisteredModel.ShouldBe("sentiment-model");
    }

    [Theory]
    [InlineData("{ \"params\": {} }", "'model' is required")]
    [InlineData("{ \"model\": ", "not valid JSON")]
    public void Config_Invalid_NamesTheFile(string json, string message)
    {
        using var temp = new TempDirectory("config");
        var path = temp.Write("t.json", json);

        Should.Throw<TrainingDataException>(() => TrainingConfig.Load(path, [])).Message.ShouldContain(message);
    }

    [Fact]
    public void Config_ParamWithoutEquals_NamesTheFlag()
    {
        using var temp = new TempDirectory("config");
        var path = temp.Write("t.json", "{ \"model\": \"m\" }");

        Should
            .Throw<TrainingDataException>(() => TrainingConfig.Load(path, ["l2"]))
            .Message.ShouldBe("--param: 'l2' is not key=value.");
    }
}
