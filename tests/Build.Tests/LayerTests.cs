using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>The project references match the dependency graph drawn in docs/architecture.md, and the layers hold.</summary>
public sealed partial class LayerTests
{
    private static readonly string Root = Fixtures.RepositoryRoot;

    /// <summary>Every ProjectReference of the shipped projects (src/ and build/), as "From --> To".</summary>
    private static HashSet<string> ActualEdges() =>
        [
            .. Directory
                .EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(Path.Combine(Root, "build"), "*.csproj", SearchOption.AllDirectories))
                .Where(p =>
                    !p.Contains(
                        $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
                        StringComparison.Ordinal
                    )
                )
                .SelectMany(p =>
                    XDocument
                        .Load(p)
                        .Descendants("ProjectReference")
                        .Select(r =>
                            $"{Path.GetFileNameWithoutExtension(p)} --> {Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'))}"
                        )
                ),
        ];

    private static HashSet<string> DrawnEdges()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "architecture.md"));
        var block = Mermaid().Match(doc);
        block.Success.ShouldBeTrue("docs/architecture.md has no ```mermaid graph block");
        return [.. Edge().Matches(block.Groups[1].Value).Select(m => $"{m.Groups[1].Value} --> {m.Groups[2].Value}")];
    }

    [Fact]
    public void ProjectReferences_AllShippedProjects_MatchTheDrawnGraphExactly()
    {
        var actual = ActualEdges();
        var drawn = DrawnEdges();

        actual
            .Except(drawn)
            .Order(StringComparer.Ordinal)
            .ShouldBeEmpty("references docs/architecture.md does not draw (draw them, or remove them)");
        drawn
            .Except(actual)
            .Order(StringComparer.Ordinal)
            .ShouldBeEmpty("edges docs/architecture.md draws that no project has");
    }

    [Fact]
    public void PipelineLibraries_NeverReferenceAWorkload_OnlyTheCompositionPointsDo()
    {
        var composition = new HashSet<string>(StringComparer.Ordinal) { "Pipeline.Workloads", "Build" };

        var leaks = ActualEdges()
            .Select(e => e.Split(" --> "))
            .Where(e => !composition.Contains(e[0]) && !IsWorkload(e[0]) && IsWorkload(e[1]))
            .Select(e => string.Join(" --> ", e));

        leaks.ShouldBeEmpty();
    }

    /// <summary>The two workloads this repository trains: the sentiment model and the playlist recommender.</summary>
    private static bool IsWorkload(string project) =>
        project.StartsWith("Sentiment.", StringComparison.Ordinal)
        || project.StartsWith("Playlist.", StringComparison.Ordinal);

    [Fact]
    public void Graph_HasNoCycle()
    {
        var edges = ActualEdges()
            .Select(e => e.Split(" --> "))
            .GroupBy(e => e[0])
            .ToDictionary(g => g.Key, g => g.Select(e => e[1]).ToList());
        var state = new Dictionary<string, int>(StringComparer.Ordinal);

        bool Cyclic(string node)
        {
            if (state.GetValueOrDefault(node) == 1)
            {
                return true;
            }

            if (state.GetValueOrDefault(node) == 2)
            {
                return false;
            }

            state[node] = 1;
            var cyclic = edges.GetValueOrDefault(node, []).Any(Cyclic);
            state[node] = 2;
            return cyclic;
        }

        edges.Keys.Where(Cyclic).ShouldBeEmpty();
    }

    [GeneratedRegex("```mermaid\\s*\\ngraph TD\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Mermaid();

    [GeneratedRegex(@"^\s*([\w.]+) --> ([\w.]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Edge();
}
