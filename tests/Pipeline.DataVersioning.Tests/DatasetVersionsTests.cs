using Pipeline.DataVersioning.Versions;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

public sealed class DatasetVersionsTests
{
    private static string Source(TempDirectory temp, int rows)
    {
        var lines = new List<string> { "review,sentiment" };
        for (var i = 0; i < rows; i++)
        {
            lines.Add(
                i % 3 == 0 ? $"\"Review {i}, with a comma and \"\"quotes\"\"\",positive" : $"Review {i},negative"
            );
        }

        return temp.Write("full.csv", string.Join('\n', lines) + "\n");
    }

    [Fact]
    public void Create_VersionOne_IsTheFirstRowsAndKeepsQuoting()
    {
        using var temp = new TempDirectory("versions");
        var source = Source(temp, 50);

        var result = DatasetVersions.Create(
            source,
            1,
            temp.Combine("v1.csv"),
            new Dictionary<int, long?> { [1] = 10, [2] = null }
        );

        result.Rows.ShouldBe(10);
        var lines = File.ReadAllLines(temp.Combine("v1.csv"));
        lines.Length.ShouldBe(11);
        lines[0].ShouldBe("review,sentiment");
        lines[1].ShouldBe("\"Review 0, with a comma and \"\"quotes\"\"\",positive");
    }

    [Fact]
    public void Create_VersionTwo_IsEveryRowAndIsDeterministic()
    {
        using var temp = new TempDirectory("versions");
        var source = Source(temp, 50);

        var first = DatasetVersions.Create(source, 2, temp.Combine("a.csv"));
        var second = DatasetVersions.Create(source, 2, temp.Combine("b.csv"));

        first.Rows.ShouldBe(50);
        first.Md5.ShouldBe(second.Md5);
        File.ReadAllText(temp.Combine("a.csv")).ShouldBe(File.ReadAllText(source));
    }

    [Fact]
    public void Create_DefaultVersionOne_IsTenThousandRows()
    {
        using var temp = new TempDirectory("versions");

        DatasetVersions.Create(Source(temp, 10_500), 1, temp.Combine("v1.csv")).Rows.ShouldBe(10_000);
    }

    [Fact]
    public void Create_MissingColumn_NamesItAndWritesNothing()
    {
        using var temp = new TempDirectory("versions");
        var source = temp.Write("full.csv", "text,label\na,positive\n");

        var error = Should.Throw<DvcException>(() => DatasetVersions.Create(source, 1, temp.Combine("v1.csv")));

        error.Message.ShouldBe($"{source}:1: missing column(s) 'review', 'sentiment'; the header is 'text,label'.");
        File.Exists(temp.Combine("v1.csv")).ShouldBeFalse();
        Directory.GetFiles(temp.Path).ShouldBe([source]);
    }

    [Theory]
    [InlineData("review,sentiment\ngood,positive\nbad,negative,extra\n", 3, "expected 2 fields, found 3")]
    [InlineData("review,sentiment\ngood,positive\n\"never closed,negative\n", 3, "never closed")]
    [InlineData("review,sentiment\nfine,positive\nbad\"quote,negative\n", 3, "a quote inside an unquoted field")]
    public void Create_MalformedRow_NamesTheLine(string csv, int line, string problem)
    {
        using var temp = new TempDirectory("versions");
        var source = temp.Write("full.csv", csv);
        var output = temp.Combine("v2.csv");
        File.WriteAllText(output, "previous version\n");

        var error = Should.Throw<DvcException>(() => DatasetVersions.Create(source, 2, output));

        error.Message.ShouldStartWith($"{source}:{line}: malformed row");
        error.Message.ShouldContain(problem);
        File.ReadAllText(output).ShouldBe("previous version\n");
    }

    [Fact]
    public void Create_UnknownVersion_ListsTheKnownOnes()
    {
        using var temp = new TempDirectory("versions");

        Should
            .Throw<DvcException>(() => DatasetVersions.Create(Source(temp, 3), 7, temp.Combine("x.csv")))
            .Message.ShouldBe(
                "--version: 7 is not a known dataset version (known: 1 = first 10000 rows, 2 = all rows)."
            );
    }

    [Fact]
    public void ParseVersions_Spec_ReadsRowsAndAll()
    {
        DatasetVersions
            .ParseVersions("1=500, 2=all, 3=20000")
            .ShouldBe(
                new Dictionary<int, long?>
                {
                    [1] = 500,
                    [2] = null,
                    [3] = 20_000,
                }
            );
        Should.Throw<FormatException>(() => DatasetVersions.ParseVersions("1=lots"));
    }
}
