using System.Globalization;
using Pipeline.Core.Csv;
using Pipeline.Core.IO;
using Pipeline.DataVersioning.Hashing;

namespace Pipeline.DataVersioning.Versions;

public sealed record DatasetVersionResult(string OutputPath, int Version, long Rows, string Md5);

/// <summary>
/// Derives dataset version N from a full CSV (the original pipeline's <c>manage_data.py</c>): by default
/// version 1 is the first 10,000 rows and version 2 is every row. It streams the source, never holding it
/// whole, and writes the slice to a temp file that replaces the output only when complete.
/// </summary>
public static class DatasetVersions
{
    /// <summary>Version → number of leading rows, or null for all rows.</summary>
    public static IReadOnlyDictionary<int, long?> Default { get; } =
        new Dictionary<int, long?> { [1] = 10_000, [2] = null };

    public static IReadOnlyList<string> DefaultColumns { get; } = ["review", "sentiment"];

    /// <summary>Parses <c>1=10000,2=all</c>.</summary>
    public static IReadOnlyDictionary<int, long?> ParseVersions(string spec)
    {
        var versions = new Dictionary<int, long?>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (
                pieces.Length != 2
                || !int.TryParse(pieces[0], out var version)
                || !(
                    pieces[1] == "all"
                    || long.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                )
            )
            {
                throw new FormatException($"--versions: '{part}' is not 'N=rows' or 'N=all'");
            }

            versions[version] = pieces[1] == "all" ? null : long.Parse(pieces[1], CultureInfo.InvariantCulture);
        }

        return versions;
    }

    public static DatasetVersionResult Create(
        string source,
        int version,
        string output,
        IReadOnlyDictionary<int, long?>? versions = null,
        IReadOnlyList<string>? requiredColumns = null
    )
    {
        versions ??= Default;
        requiredColumns ??= DefaultColumns;
        if (!versions.TryGetValue(version, out var limit))
        {
            var known = string.Join(
                ", ",
                versions
                    .OrderBy(v => v.Key)
                    .Select(v => $"{v.Key} = {(v.Value is { } n ? $"first {n} rows" : "all rows")}")
            );
            throw new DvcException($"--version: {version} is not a known dataset version (known: {known}).");
        }

        if (!File.Exists(source))
        {
            throw new DvcException($"--source: {source} does not exist.");
        }

        long rows = 0;
        try
        {
            AtomicFile.Write(
                output,
                stream =>
                {
                    using var writer = new StreamWriter(
                        stream,
                        new System.Text.UTF8Encoding(false),
                        1 << 16,
                        leaveOpen: true
                    );
                    var csv = new CsvWriter(writer);
                    var width = 0;
                    foreach (var record in CsvReader.ReadFile(source))
                    {
                        if (record.Line == 1)
                        {
                            var missing = requiredColumns.Where(c => !record.Fields.Contains(c)).ToList();
                            if (missing.Count > 0)
                            {
                                throw new DvcException(
                                    $"{source}:1: missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; the header is '{string.Join(',', record.Fields)}'."
                                );
                            }

                            width = record.Fields.Length;
                            csv.WriteRecord(record.Fields);
                            continue;
                        }

                        if (limit is { } max && rows >= max)
                        {
                            break;
                        }

                        if (record.Fields.Length != width)
                        {
                            throw new DvcException(
                                $"{source}:{record.Line}: malformed row: expected {width} fields, found {record.Fields.Length}."
                            );
                        }

                        csv.WriteRecord(record.Fields);
                        rows++;
                    }

                    if (width == 0)
                    {
                        throw new DvcException(
                            $"{source}:1: the file is empty; expected a header with {string.Join(", ", requiredColumns)}."
                        );
                    }
                }
            );
        }
        catch (CsvFormatException ex)
        {
            throw new DvcException(
                $"{source}:{ex.Line}: malformed row: {ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..]}",
                ex
            );
        }

        return new DatasetVersionResult(Path.GetFullPath(output), version, rows, ContentHasher.Md5(output));
    }
}
