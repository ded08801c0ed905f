using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace Pipeline.Testing;

/// <summary>
/// A document that is part of a contract and checked into the repository (an API's OpenAPI document): what is served
/// must equal it. With <c>PIPELINE_UPDATE_OPENAPI=1</c> the test writes the served one instead, to record a change
/// someone has reviewed.
/// </summary>
public static class CheckedInDocument
{
    public const string UpdateVariable = "PIPELINE_UPDATE_OPENAPI";

    /// <summary>The JSON as the checked-in files hold it: indented, LF line ends, a final newline.</summary>
    public static string Canonical(JsonNode node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";

    public static void ShouldEqualCheckedIn(string served, string checkedIn)
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(checkedIn)!);
            File.WriteAllText(checkedIn, served);
        }

        File.Exists(checkedIn).ShouldBeTrue($"{checkedIn} is missing; run the tests with {UpdateVariable}=1 once");
        served.ShouldBe(
            File.ReadAllText(checkedIn),
            $"the API's contract changed: review the difference, then run with {UpdateVariable}=1 to record it"
        );
    }
}
