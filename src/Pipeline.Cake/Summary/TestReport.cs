using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Pipeline.Cake.Summary;

/// <summary>One test project's results: counts, the time its tests took, and every skipped test with its reason.</summary>
public sealed record TestSuiteResult(
    string Name,
    int Tests,
    int Failed,
    int Skipped,
    TimeSpan Time,
    IReadOnlyList<(string Test, string Reason)> Skips
);

/// <summary>
/// What a test run says, read from the JUnit XML files the Test target writes (one per test project): per-project
/// counts and times, and why each skipped test skipped, so no skip goes unexplained.
/// </summary>
public static class TestReport
{
    public static IReadOnlyList<TestSuiteResult> Read(string resultsDirectory) =>
        Directory.Exists(resultsDirectory)
            ?
            [
                .. Directory
                    .EnumerateFiles(resultsDirectory, "*.junit.xml")
                    .Order(StringComparer.Ordinal)
                    .SelectMany(ReadFile),
            ]
            : [];

    public static IEnumerable<TestSuiteResult> ReadFile(string path)
    {
        var document = XDocument.Load(path);
        foreach (var suite in document.Descendants("testsuite"))
        {
            var skips = suite
                .Elements("testcase")
                .Where(c => c.Element("skipped") is not null)
                .Select(c =>
                    (
                        $"{c.Attribute("classname")?.Value}.{Method(c.Attribute("name")?.Value)}",
                        c.Element("skipped")!.Attribute("message")?.Value ?? "(no reason given)"
                    )
                )
                .ToList();
            yield return new TestSuiteResult(
                (suite.Attribute("name")?.Value ?? Path.GetFileName(path)).Replace(
                    ".dll",
                    string.Empty,
                    StringComparison.Ordinal
                ),
                Int(suite, "tests"),
                Int(suite, "failures") + Int(suite, "errors"),
                Int(suite, "skipped"),
                TimeSpan.FromSeconds(double.Parse(suite.Attribute("time")?.Value ?? "0", CultureInfo.InvariantCulture)),
                skips
            );
        }
    }

    /// <summary>A Markdown table of the projects (slowest first), then the skipped tests with their reasons.</summary>
    public static string Markdown(IReadOnlyList<TestSuiteResult> suites)
    {
        var text = new StringBuilder(
            "| Test project | Tests | Failed | Skipped | Test time |\n|---|---:|---:|---:|---:|\n"
        );
        foreach (var suite in suites.OrderByDescending(s => s.Time))
        {
            text.Append(
                CultureInfo.InvariantCulture,
                $"| {suite.Name} | {suite.Tests} | {suite.Failed} | {suite.Skipped} | {suite.Time.TotalSeconds:0.0} s |\n"
            );
        }

        var skips = suites.SelectMany(s => s.Skips).ToList();
        if (skips.Count > 0)
        {
            text.Append("\nSkipped:\n");
            foreach (var (test, reason) in skips)
            {
                text.Append("- `").Append(test).Append("`: ").Append(reason).Append('\n');
            }
        }

        return text.ToString();
    }

    private static int Int(XElement element, string attribute) =>
        int.TryParse(
            element.Attribute(attribute)?.Value,
            NumberStyles.Integer,
            CultureInfo.InvariantCulture,
            out var value
        )
            ? value
            : 0;

    // JUnit names a case "Class.Method(arguments)"; the class is already in classname.
    private static string Method(string? name) =>
        name is null ? string.Empty : name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
}
