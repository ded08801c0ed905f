using System.Text;

namespace Pipeline.Core.Csv;

/// <summary>One record and the line it starts on (1-based, the header is line 1).</summary>
public readonly record struct CsvRecord(long Line, string[] Fields);

/// <summary>A malformed record: the message names the line.</summary>
public sealed class CsvFormatException(long line, string message) : FormatException($"line {line}: {message}")
{
    public long Line { get; } = line;
}

/// <summary>
/// A streaming RFC 4180 reader: comma-separated, fields optionally double-quoted, <c>""</c> for a quote
/// inside a quoted field, and line breaks allowed inside quotes. It never holds more than one record.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        long line = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (reader.ReadLine() is { } text)
        {
            line++;
            var start = line;
            fields.Clear();
            field.Clear();
            var inQuotes = false;
            var quotedField = false;
            var position = 0;
            while (true)
            {
                if (position >= text.Length)
                {
                    if (!inQuotes)
                    {
                        break;
                    }

                    // A line break inside a quoted field belongs to the field.
                    var next =
                        reader.ReadLine() ?? throw new CsvFormatException(start, "a quoted field is never closed");
                    line++;
                    field.Append('\n');
                    text = next;
                    position = 0;
                    continue;
                }

                var c = text[position];
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (position + 1 < text.Length && text[position + 1] == '"')
                        {
                            field.Append('"');
                            position += 2;
                            continue;
                        }

                        inQuotes = false;
                        position++;
                        if (position < text.Length && text[position] != ',')
                        {
                            throw new CsvFormatException(
                                line,
                                $"unexpected character '{text[position]}' after a closing quote"
                            );
                        }

                        continue;
                    }

                    field.Append(c);
                    position++;
                    continue;
                }

                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    quotedField = false;
                    position++;
                }
                else if (c == '"')
                {
                    if (field.Length > 0 || quotedField)
                    {
                        throw new CsvFormatException(line, "a quote inside an unquoted field");
                    }

                    inQuotes = true;
                    quotedField = true;
                    position++;
                }
                else
                {
                    field.Append(c);
                    position++;
                }
            }

            fields.Add(field.ToString());
            yield return new CsvRecord(start, [.. fields]);
        }
    }

    /// <summary>Opens a UTF-8 file and rejects bytes that are not UTF-8, naming the line they are on.</summary>
    public static IEnumerable<CsvRecord> ReadFile(string path)
    {
        using var stream = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1 << 16,
            FileOptions.SequentialScan
        );
        using var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        foreach (var record in Read(reader))
        {
            foreach (var field in record.Fields)
            {
                if (field.Contains(InvalidByteMarker, StringComparison.Ordinal))
                {
                    throw new CsvFormatException(record.Line, $"{path} is not valid UTF-8 (an invalid byte sequence)");
                }
            }

            yield return record;
        }
    }

    // A noncharacter never found in interchanged text marks each undecodable byte, so the
    // error can name the record it is in (a decoder exception only knows its buffer).
    private const string InvalidByteMarker = "\uFDD0";

    private static readonly Encoding StrictUtf8 = Encoding.GetEncoding(
        "utf-8",
        EncoderFallback.ExceptionFallback,
        new DecoderReplacementFallback(InvalidByteMarker)
    );
}
