using System.Text;
using Pipeline.Core.Csv;
using Pipeline.Testing;

namespace Pipeline.Core.Tests;

public sealed class CsvTests
{
    private static List<CsvRecord> Read(string text) => CsvReader.Read(new StringReader(text)).ToList();

    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndLineBreaks_AreOneFieldEach()
    {
        var records = Read("review,sentiment\n\"Great, \"\"really\"\"<br />\nsecond line\",positive\nplain,negative\n");

        records.Count.ShouldBe(3);
        records[1].Fields.ShouldBe(["Great, \"really\"<br />\nsecond line", "positive"]);
        records[1].Line.ShouldBe(2);
        records[2].Line.ShouldBe(4);
    }

    [Fact]
    public void Read_EmptyFieldsAndTrailingComma_AreKept()
    {
        Read(",\n\"\",x\n")
            .Select(r => r.Fields)
            .ShouldBe([
                ["", ""],
                ["", "x"],
            ]);
    }

    [Fact]
    public void Read_CrLfLineEnds_AreAccepted()
    {
        Read("a,b\r\n1,2\r\n")
            .Select(r => r.Fields)
            .ShouldBe([
                ["a", "b"],
                ["1", "2"],
            ]);
    }

    [Theory]
    [InlineData("a,b\n\"open,1\n", 2, "never closed")]
    [InlineData("a,b\n\"x\"y,1\n", 2, "after a closing quote")]
    [InlineData("a,b\nx\"y,1\n", 2, "a quote inside an unquoted field")]
    public void Read_Malformed_NamesTheLine(string text, int line, string problem)
    {
        var error = Should.Throw<CsvFormatException>(() => Read(text));

        error.Line.ShouldBe(line);
        error.Message.ShouldContain(problem);
    }

    [Fact]
    public void ReadFile_InvalidUtf8_NamesTheLine()
    {
        using var temp = new TempDirectory("csv");
        var path = temp.Combine("bad.csv");
        var bytes = Encoding
            .UTF8.GetBytes("review,sentiment\nfine,positive\n")
            .Concat(new byte[] { 0x62, 0xFF, 0x61, 0x64, 0x2C, 0x6E, 0x0A })
            .ToArray();
        File.WriteAllBytes(path, bytes);

        var error = Should.Throw<CsvFormatException>(() => CsvReader.ReadFile(path).ToList());

        error.Line.ShouldBe(3);
        error.Message.ShouldContain("not valid UTF-8");
    }

    [Fact]
    public void WriteRecord_QuotesOnlyWhenNeeded_AndRoundTrips()
    {
        var text = new StringWriter();
        var writer = new CsvWriter(text);
        string[] fields = ["plain", "with, comma", "with \"quote\"", "multi\nline", ""];

        writer.WriteRecord(fields);

        text.ToString().ShouldBe("plain,\"with, comma\",\"with \"\"quote\"\"\",\"multi\nline\",\n");
        Read(text.ToString())[0].Fields.ShouldBe(fields);
    }
}
