using Pipeline.Tracking.Search;

namespace Pipeline.Tracking.Tests;

public sealed class FilterTests
{
    private static readonly Run Sample = new(
        new RunInfo("abc", "1", "train-7", RunStatus.Finished, 100, 200, "file:///x", "active", "ci"),
        new Dictionary<string, Metric>
        {
            ["accuracy"] = new("accuracy", 0.9, 1, 0),
            ["my metric"] = new("my metric", 3, 1, 0),
        },
        new Dictionary<string, string> { ["trainer"] = "lbfgs" },
        new Dictionary<string, string> { ["pipeline.gate"] = "passed" }
    );

    [Theory]
    [InlineData("metrics.accuracy > 0.8 and attributes.status = 'FINISHED'", true)]
    [InlineData("metric.accuracy <= 0.8", false)]
    [InlineData("metrics.`my metric` = 3", true)]
    [InlineData("params.trainer = \"lbfgs\"", true)]
    [InlineData("params.trainer LIKE 'lb%'", true)]
    [InlineData("params.trainer ILIKE 'LB%'", true)]
    [InlineData("tags.`pipeline.gate` = 'passed'", true)]
    [InlineData("tags.`pipeline.gate` != 'passed'", false)]
    [InlineData("attributes.run_name = 'train-7' AND attributes.start_time >= 100", true)]
    [InlineData("attributes.status IN ('FAILED', 'KILLED')", false)]
    [InlineData("attributes.status NOT IN ('FAILED', 'KILLED')", true)]
    [InlineData("metrics.missing > 0", false)]
    public void Matches_MlflowGrammar_Evaluates(string filter, bool expected) =>
        RunFilter.Parse(filter).Matches(Sample).ShouldBe(expected);

    [Theory]
    [InlineData("metrics.accuracy >> 0.8", "Invalid comparator '>>'")]
    [InlineData("metrics.accuracy > 0.8 or metrics.auc > 0.9", "Invalid clause(s) in filter string: 'or'")]
    [InlineData("params.trainer = lbfgs", "not quoted")]
    [InlineData("bogus.x = '1'", "Invalid entity type 'bogus'")]
    public void Parse_Invalid_GivesMlflowsMessage(string filter, string message)
    {
        var error = Should.Throw<TrackingException>(() => RunFilter.Parse(filter));

        error.ErrorCode.ShouldBe("INVALID_PARAMETER_VALUE");
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void PageToken_Offset_IsMlflowsBase64Json()
    {
        PageToken.Encode(1).ShouldBe("eyJvZmZzZXQiOiAxfQ==");
        PageToken.Decode("eyJvZmZzZXQiOiAyfQ==").ShouldBe(2);
        Should.Throw<TrackingException>(() => PageToken.Decode("%%%")).Message.ShouldContain("Invalid page token");
    }
}
