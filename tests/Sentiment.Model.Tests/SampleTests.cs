using System.Text;
using Pipeline.Core.Csv;
using Pipeline.Testing;
using SampleGenerator;

namespace Sentiment.Model.Tests;

/// <summary>The bundled sample is what its generator writes, and is the sample its README describes.</summary>
public sealed class SampleTests
{
    private static readonly string SamplePath = Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");

    [Fact]
    public void Generator_CommittedSeedAndCount_WritesTheCommittedSampleByteForByte()
    {
        var written = ReviewWriter.Csv(new ReviewWriter(Sample.Seed).Write(Sample.Reviews));

        written.ShouldBe(File.ReadAllText(SamplePath, Encoding.UTF8));
    }

    [Fact]
    public void Sample_Rows_AreBalancedVariedAndAtLeast3000()
    {
        var rows = ReadRows();

        rows.Count.ShouldBeGreaterThanOrEqualTo(3000);
        rows.Count(r => r.Label == "positive").ShouldBe(rows.Count / 2);
        rows.Select(r => r.Review).Distinct(StringComparer.Ordinal).Count().ShouldBeGreaterThan(rows.Count * 8 / 10);
        var words = rows.SelectMany(r => r.Review.ToLowerInvariant().Split(' ', '.', ',', '!', ';', ':'))
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Count();
        words.ShouldBeGreaterThan(1500, "the sample must teach a broad everyday vocabulary");
        rows.ShouldContain(r => r.Review.Split(' ').Length <= 3, "short reviews");
        rows.ShouldContain(r => r.Review.Split(' ').Length >= 40, "long reviews");
        rows.ShouldContain(r => r.Review.Contains(" not ", StringComparison.Ordinal), "negation");
        rows.ShouldContain(r => r.Review.Contains(", but ", StringComparison.Ordinal), "contrast");
        rows.ShouldContain(r => r.Review.Contains("<br />", StringComparison.Ordinal), "IMDB's line breaks");
    }

    [Fact]
    public void Sample_Reviews_NeverRepeatAProbeOfTheBehaviourSuite()
    {
        // The probes measure what the model learned from other sentences; a probe copied into the sample would only
        // measure memory. Short stock phrases ("I loved it.") are what people write and may occur in both.
        var probes = BehaviourProbes().Where(p => p.Split(' ').Length >= 6).ToList();
        var sample = string.Join('\n', ReadRows().Select(r => r.Review.ToLowerInvariant()));

        probes.ShouldNotBeEmpty();
        probes
            .Where(p => sample.Contains(p.ToLowerInvariant().TrimEnd('.', '!'), StringComparison.Ordinal))
            .ShouldBeEmpty();
    }

    private static List<(string Review, string Label)> ReadRows()
    {
        using var reader = new StreamReader(SamplePath, Encoding.UTF8);
        var rows = new List<(string, string)>();
        foreach (var record in CsvReader.Read(reader).Skip(1))
        {
            rows.Add((record.Fields[0], record.Fields[1]));
        }

        return rows;
    }

    private static IEnumerable<string> BehaviourProbes()
    {
        using var document = System.Text.Json.JsonDocument.Parse(
            File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "config", "behaviour", "sentiment.json")),
            new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip }
        );
        foreach (var capability in document.RootElement.GetProperty("capabilities").EnumerateArray())
        {
            foreach (var property in capability.EnumerateObject())
            {
                if (property.Value.ValueKind != System.Text.Json.JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var item in property.Value.EnumerateArray())
                {
                    foreach (var field in item.EnumerateObject())
                    {
                        if (field.Name is "text" or "base" or "changed")
                        {
                            yield return field.Value.GetString()!;
                        }
                        else if (field.Name == "texts")
                        {
                            foreach (var text in field.Value.EnumerateArray())
                            {
                                yield return text.GetString()!;
                            }
                        }
                    }
                }
            }
        }
    }
}
