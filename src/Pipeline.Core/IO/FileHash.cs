using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Pipeline.Core.IO;

/// <summary>The md5 of a file's bytes: how DVC names its objects and how runs record which data they trained on.</summary>
[SuppressMessage(
    "Security",
    "CA5351:Do Not Use Broken Cryptographic Algorithms",
    Justification = "md5 is DVC's content id, not a security check."
)]
public static class FileHash
{
    public static string Md5(string path)
    {
        using var stream = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1 << 20,
            FileOptions.SequentialScan
        );
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    public static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>An incremental md5, for content read in blocks.</summary>
    public static IncrementalHash Md5Incremental() => IncrementalHash.CreateHash(HashAlgorithmName.MD5);
}
