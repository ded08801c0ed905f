using Pipeline.Core.IO;

namespace Pipeline.DataVersioning.Hashing;

/// <summary>
/// DVC's two content hashes. 3.x uses the md5 of the exact bytes. 2.x used md5-dos2unix: every CRLF in
/// a chunk judged to be text becomes LF before hashing; DVC 3 decides per 1 MiB chunk, from the first
/// 512 bytes of that chunk, and never joins a CRLF split across chunks.
/// </summary>
public static class ContentHasher
{
    private const int ChunkSize = 1 << 20;
    private const int TextProbeSize = 512;

    public static string Md5(string path) => FileHash.Md5(path);

    public static string Md5(ReadOnlySpan<byte> bytes) => FileHash.Md5(bytes);

    public static string Md5Dos2Unix(string path)
    {
        using var stream = OpenSequential(path);
        return Md5Dos2Unix(stream);
    }

    public static string Md5Dos2Unix(Stream stream)
    {
        using var md5 = FileHash.Md5Incremental();
        var chunk = new byte[ChunkSize];
        var converted = new byte[ChunkSize];
        int read;
        while ((read = ReadFull(stream, chunk)) > 0)
        {
            var span = chunk.AsSpan(0, read);
            if (IsText(span[..Math.Min(read, TextProbeSize)]))
            {
                var length = 0;
                for (var i = 0; i < span.Length; i++)
                {
                    if (span[i] == (byte)'\r' && i + 1 < span.Length && span[i + 1] == (byte)'\n')
                    {
                        continue;
                    }

                    converted[length++] = span[i];
                }

                md5.AppendData(converted, 0, length);
            }
            else
            {
                md5.AppendData(span);
            }
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    /// <summary>DVC's text test: empty is text, a NUL byte means binary, otherwise at most 30% of bytes outside printable ASCII.</summary>
    public static bool IsText(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return true;
        }

        if (block.Contains((byte)0))
        {
            return false;
        }

        var nonText = 0;
        foreach (var b in block)
        {
            var isText = b is >= 32 and <= 126 or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or (byte)'\b';
            if (!isText)
            {
                nonText++;
            }
        }

        return nonText * 10 <= block.Length * 3;
    }

    /// <summary>The id an object's bytes must have to be stored under <paramref name="expected"/>'s name.</summary>
    public static string HashFor(ObjectId expected, string path) => expected.Legacy ? Md5Dos2Unix(path) : Md5(path);

    internal static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static int ReadFull(Stream stream, byte[] buffer)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total;
    }
}
