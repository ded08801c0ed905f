using Pipeline.Testing;
using Pipeline.Training.Behaviour;

namespace Pipeline.Training.Tests;

public sealed class BehaviourSuiteTests
{
    private const string Suite = """
        {
          "suite": "test", "version": 3,
          "capabilities": [
            { "name": "plain", "expect": [
                { "text": "good", "label": "positive" },
                { "text": "bad", "label": "negative" } ] },
            { "name": "invariance", "invariant": [ { "texts": ["Ann is good", "Bo is good"] } ] },
            { "name": "directional", "directional": [
                { "base": "good", "changed": "not good", "direction": "lower" },
                { "base": "bad", "changed": "not bad", "direction": "higher" } ] }
          ]
        }
        """;

    [Fact]
    public void Run_AScorer_CountsEveryKindOfCasePerCapability()
    {
        using var folder = new TempDirectory("behaviour");
        var suite = BehaviourSuite.Load(folder.Write("suite.json", Suite));
        // A scorer that knows "good" but not what "not" does, and is swayed by a name.
        var scores = new Dictionary<string, double>
        {
            ["good"] = 0.9,
            ["bad"] = 0.2,
            ["Ann is good"] = 0.7,
            ["Bo is good"] = 0.4,
            ["not good"] = 0.95,
            ["not bad"] = 0.3,
        };

        var results = suite.Run(texts => [.. texts.Select(t => scores[t])]);

        suite.Version.ShouldBe(3);
        results
            .Select(r => (r.Metric, r.Passed, r.Total))
            .ShouldBe([("behaviour.plain", 2, 2), ("behaviour.invariance", 0, 1), ("behaviour.directional", 1, 2)]);
        results[1].Failures.Single().ShouldContain("\"Bo is good\" negative (0.400)");
        results[2].Failures.Single().ShouldBe("\"not good\" should be lower than \"good\": 0.950 vs 0.900");
        results[2].Rate.ShouldBe(0.5);
    }

    [Fact]
    public void Run_TextsSharedByCapabilities_ScoresEachTextOnce()
    {
        using var folder = new TempDirectory("behaviour");
        var suite = BehaviourSuite.Load(folder.Write("suite.json", Suite));
        var scored = new List<string>();

        suite.Run(texts =>
        {
            scored.AddRange(texts);
            return [.. texts.Select(_ => 0.6)];
        });

        scored.Count.ShouldBe(scored.Distinct().Count());
        scored.ShouldContain("good");
    }

    [Theory]
    [InlineData(
        """{ "version": 1, "capabilities": [ { "name": "a", "expect": [ { "text": "x", "label": "yes" } ] } ] }""",
        "capabilities[0].expect[0].label must be positive or negative, not 'yes'"
    )]
    [InlineData("""{ "version": 1, "capabilities": [ { "name": "a" } ] }""", "capabilities[0] (a) has no cases")]
    [InlineData(
        """{ "capabilities": [ { "name": "a", "expect": [ { "text": "x", "label": "positive" } ] } ] }""",
        "'version' (a whole number) is required"
    )]
    [InlineData(
        """{ "version": 1, "capabilities": [ { "name": "a", "invariant": [ { "texts": ["x"] } ] } ] }""",
        "capabilities[0].invariant[0].texts must list at least two texts"
    )]
    [InlineData(
        """{ "version": 1, "capabilities": [ { "name": "a", "directional": [ { "base": "x", "changed": "y", "direction": "up" } ] } ] }""",
        "direction must be lower or higher"
    )]
    [InlineData(
        """{ "version": 1, "capabilities": [ { "name": "a", "expect": [ { "label": "positive" } ] } ] }""",
        "capabilities[0].expect[0].text is required"
    )]
    public void Load_BadSuite_NamesTheFileAndField(string json, string message)
    {
        using var folder = new TempDirectory("behaviour");
        var path = folder.Write("suite.json", json);

        var error = Should.Throw<TrainingDataException>(() => BehaviourSuite.Load(path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Load_ShippedSuite_CoversEveryCapabilityTheShippedGateFloors()
    {
        var config = TrainingConfig.Load(Path.Combine(Fixtures.RepositoryRoot, "config", "training.json"), []);

        var suite = BehaviourSuite.Load(config.BehaviourSuite.ShouldNotBeNull());

        var floored = config
            .Gate.Floors.Keys.Where(k => k.StartsWith("behaviour.", StringComparison.Ordinal))
            .Select(k => k["behaviour.".Length..])
            .ToList();
        floored.ShouldBe(suite.Capabilities, ignoreOrder: true);
        suite.Capabilities.ShouldBe(
            ["plain", "negation", "contrast", "intensity", "style", "invariance", "directional"],
            ignoreOrder: true
        );
    }

    [Fact]
    public void Config_BehaviourFileMissing_NamesIt()
    {
        using var folder = new TempDirectory("behaviour");
        var config = folder.Write("training.json", """{ "model": "m", "behaviour": "probes/none.json" }""");

        var error = Should.Throw<TrainingDataException>(() => TrainingConfig.Load(config, []));

        error.Message.ShouldContain(folder.Combine("probes", "none.json"));
    }

    [Fact]
    public void Evaluate_CapabilityBelowItsFloor_FailsWithTheRate()
    {
        var gate = new GateOptions(new Dictionary<string, double> { ["behaviour.negation"] = 0.7 }, "accuracy", 0.01);

        var result = QualityGate.Evaluate(new Dictionary<string, double> { ["behaviour.negation"] = 0.45 }, gate, null);

        result.Passed.ShouldBeFalse();
        result.Describe().ShouldBe("Quality gate failed: behaviour.negation 0.4500 < floor 0.7000");
    }
}
