using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Csv;

namespace Pipeline.Collection;

/// <summary>One collected row: a review as served, with its label and where it came from.</summary>
public sealed record CandidateRow(
    long ReviewId,
    string Text,
    string PredictedSentiment,
    string? VerifiedSentiment,
    string ModelVersion,
    long ChangedAt
)
{
    public static readonly string[] Header =
    [
        "review_id",
        "review",
        "predicted_sentiment",
        "verified_sentiment",
        "model_version",
        "changed_at",
    ];

    public string Label => VerifiedSentiment ?? PredictedSentiment;

    public string[] Fields =>
        [
            ReviewId.ToString(CultureInfo.InvariantCulture),
            Text,
            PredictedSentiment,
            VerifiedSentiment ?? string.Empty,
            ModelVersion,
            ChangedAt.ToString(CultureInfo.InvariantCulture),
        ];

    public static CandidateRow Parse(string[] fields) =>
        new(
            long.Parse(fields[0], CultureInfo.InvariantCulture),
            fields[1],
            fields[2],
            fields[3].Length == 0 ? null : fields[3],
            fields[4],
            long.Parse(fields[5], CultureInfo.InvariantCulture)
        );
}

/// <summary>CSV, hashing and text normalization shared by the daily and monthly flows.</summary>
public static partial class DatasetFiles
{
    public static byte[] WriteCsv(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        using var text = new StringWriter();
        var csv = new CsvWriter(text);
        csv.WriteRecord(header);
        foreach (var row in rows)
        {
            csv.WriteRecord(row);
        }

        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    public static List<string[]> ReadCsv(byte[] content, string source)
    {
        try
        {
            return
            [
                .. CsvReader.Read(new StringReader(Encoding.UTF8.GetString(content))).Skip(1).Select(r => r.Fields),
            ];
        }
        catch (CsvFormatException ex)
        {
            throw new InvalidOperationException($"{source}: {ex.Message}", ex);
        }
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The text duplicates are compared by: HTML breaks and punctuation-insensitive white space, lower case.</summary>
    public static string Normalize(string text) =>
        Spaces().Replace(Tags().Replace(text, " "), " ").Trim().ToLowerInvariant();

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z][^>]{0,40}>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
