namespace Pipeline.Core.Csv;

/// <summary>Writes RFC 4180 records the way Python's csv module does by default: quoted only when needed, LF line ends.</summary>
public sealed class CsvWriter(TextWriter writer)
{
    public void WriteRecord(IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(Quote(fields[i]));
        }

        writer.Write('\n');
    }

    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
