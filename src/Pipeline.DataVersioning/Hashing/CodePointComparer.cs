namespace Pipeline.DataVersioning.Hashing;

/// <summary>
/// Orders strings as Python does, by Unicode code point. Ordinal (UTF-16) order differs only where a surrogate
/// pair meets a character from U+E000 to U+FFFF: the pair stands for a code point above U+FFFF, so it sorts after.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return Weight(x[i]).CompareTo(Weight(y[i]));
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>Moves surrogates above U+E000..U+FFFF and keeps every other unit's order.</summary>
    private static int Weight(char c) =>
        c >= 0xE000 ? c - 0x800
        : c >= 0xD800 ? c + 0x2000
        : c;
}
