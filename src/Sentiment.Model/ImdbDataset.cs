using System.Globalization;
using Pipeline.Core.Csv;
using Pipeline.Training;

namespace Sentiment.Model;

/// <summary>A loaded IMDB-format dataset: the good rows, and every malformed row by line.</summary>
/// <param name="Groups">Each row's value of the group column (e.g. the movie), when one was asked for.</param>
public sealed record LoadedDataset(
    string Path,
    string Md5,
    IReadOnlyList<SentimentInput> Rows,
    IReadOnlyList<string> Malformed,
    IReadOnlyList<string>? Groups = null
);

/// <summary>
/// Reads the Kaggle IMDB format: a header with <c>review</c> and <c>sentiment</c> columns (any order, others
/// ignored), RFC 4180 quoting, UTF-8, labels <c>positive</c>/<c>negative</c>. Malformed rows are counted and
/// listed by line; more than the allowed share of them, or any file-level problem, is an error naming the file and line.
/// </summary>
public static class ImdbDataset
{
    private static readonly string[] RequiredColumns = ["review", "sentiment"];

    public static LoadedDataset Load(
        string path,
        double maxMalformedShare,
        int? maxRows = null,
        string? groupColumn = null
    )
    {
        if (!File.Exists(path))
        {
            throw new TrainingDataException($"{path}: the dataset does not exist.");
        }

        var rows = new List<SentimentInput>();
        var groups = groupColumn is null ? null : new List<string>();
        var groupIndex = -1;
        var malformed = new List<string>();
        int reviewColumn = -1,
            labelColumn = -1,
            width = 0;
        long dataRows = 0;
        try
        {
            foreach (var record in CsvReader.ReadFile(path))
            {
                if (record.Line == 1)
                {
                    var header = record.Fields.Select(f => f.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
                    reviewColumn = header.IndexOf("review");
                    labelColumn = header.IndexOf("sentiment");
                    if (reviewColumn < 0 || labelColumn < 0)
                    {
                        var missing = RequiredColumns.Where(c => !header.Contains(c));
                        throw new TrainingDataException(
                            $"{path}:1: missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; the header is '{string.Join(',', record.Fields)}'."
                        );
                    }

                    if (groupColumn is not null && (groupIndex = header.IndexOf(groupColumn.ToLowerInvariant())) < 0)
                    {
                        throw new TrainingDataException(
                            $"{path}:1: param 'split_group' names column '{groupColumn}', which the header '{string.Join(',', record.Fields)}' does not have."
                        );
                    }

                    width = header.Count;
                    continue;
                }

                if (maxRows is { } limit && dataRows >= limit)
                {
                    break;
                }

                dataRows++;
                if (record.Fields.Length != width)
                {
                    malformed.Add($"line {record.Line}: expected {width} fields, found {record.Fields.Length}");
                    continue;
                }

                var review = record.Fields[reviewColumn];
                var label = record.Fields[labelColumn].Trim().ToLowerInvariant();
                if (!TextFeaturizer.HasWords(review))
                {
                    malformed.Add($"line {record.Line}: the review has no words");
                }
                else if (label is not (SentimentLabels.Positive or SentimentLabels.Negative))
                {
                    malformed.Add(
                        $"line {record.Line}: unknown label '{record.Fields[labelColumn]}' (expected positive or negative)"
                    );
                }
                else
                {
                    rows.Add(new SentimentInput { Review = review, Label = label == SentimentLabels.Positive });
                    groups?.Add(record.Fields[groupIndex]);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            throw new TrainingDataException(
                $"{path}:{ex.Line}: {ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..]}"
            );
        }

        if (width == 0)
        {
            throw new TrainingDataException(
                $"{path}:1: the file is empty; expected a header 'review,sentiment' and rows."
            );
        }

        if (dataRows == 0)
        {
            throw new TrainingDataException($"{path}:2: the file has a header but no rows.");
        }

        if (malformed.Count > maxMalformedShare * dataRows)
        {
            throw new TrainingDataException(
                $"{path}: {malformed.Count} of {dataRows} rows are malformed ({(double)malformed.Count / dataRows:P1}, more than the allowed {maxMalformedShare.ToString("P1", CultureInfo.InvariantCulture)}):\n  "
                    + string.Join("\n  ", malformed.Take(20))
                    + (malformed.Count > 20 ? $"\n  … and {malformed.Count - 20} more" : string.Empty)
            );
        }

        var positives = rows.Count(r => r.Label);
        if (positives == 0 || positives == rows.Count)
        {
            throw new TrainingDataException(
                $"{path}: all {rows.Count} usable rows are {(positives == 0 ? "negative" : "positive")}; a classifier needs both classes."
            );
        }

        return new LoadedDataset(
            System.IO.Path.GetFullPath(path),
            Pipeline.Core.IO.FileHash.Md5(path),
            rows,
            malformed,
            groups
        );
    }
}
