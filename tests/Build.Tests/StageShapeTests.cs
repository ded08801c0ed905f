using System.Text.RegularExpressions;
using Pipeline.Build.Reporting;
using Pipeline.Cake.Arguments;
using Pipeline.Testing;

namespace Pipeline.Build.Tests;

/// <summary>The shape a newcomer relies on: thin task files, arguments declared once, and a README table that is the build's own.</summary>
public sealed partial class StageShapeTests
{
    private static readonly string BuildFolder = Path.Combine(Fixtures.RepositoryRoot, "build");

    private static IReadOnlyList<TargetInfo> Targets => TargetCatalog.FromAssemblies(typeof(BuildContext).Assembly);

    [Fact]
    public void TaskFiles_Each_AreAtMostSixtyLines()
    {
        var long_ = Directory
            .EnumerateFiles(Path.Combine(BuildFolder, "Tasks"), "*.cs")
            .Select(f => (File: Path.GetFileName(f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 60);

        long_.ShouldBeEmpty();
    }

    [Fact]
    public void BuildSources_NeverReadAnArgumentByItsName()
    {
        var byName = Directory
            .EnumerateFiles(BuildFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            )
            .SelectMany(f =>
                File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line))
            )
            .Where(l => ArgumentByName().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}");

        byName.ShouldBeEmpty("read arguments through their declarations in build/Arguments or the task's own fields");
    }

    [Fact]
    public void Arguments_EachName_HasOneDeclaration()
    {
        var clashes = Targets
            .SelectMany(t => t.Arguments)
            .Distinct()
            .SelectMany(a => a.DeprecatedNames.Append(a.Name).Select(name => (Name: name, Argument: a)))
            .GroupBy(d => d.Name)
            .Where(g => g.Select(d => d.Argument).Distinct().Count() > 1)
            .Select(g => $"--{g.Key}: {string.Join(" | ", g.Select(d => d.Argument.Help))}");

        clashes.ShouldBeEmpty("one name, one meaning: share the declaration from build/Arguments");
    }

    [Fact]
    public void Targets_Every_HasADescription()
    {
        Targets.Where(t => t.Description.Length == 0).Select(t => t.Name).ShouldBeEmpty();
    }

    [Fact]
    public void Readme_TargetTable_IsTheBuildsOwn()
    {
        var readme = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "README.md"));

        TargetTable.Current(readme).ShouldBe(TargetTable.Render(Targets), "run ./build.sh --target=Help --readme");
    }

    [Fact]
    public void Readme_IsAFrontDoor_OfAtMostTwoHundredLines()
    {
        File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "README.md")).Length.ShouldBeLessThanOrEqualTo(200);
    }

    [GeneratedRegex(@"\b(Argument|HasArgument|GetArguments)(<[^>]+>)?\(\s*""")]
    private static partial Regex ArgumentByName();
}
