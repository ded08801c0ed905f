using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// A tarball in the Large Movie Review Dataset's own layout (<c>aclImdb/{train,test}/{pos,neg}/{id}_{rating}.txt</c>,
/// <c>urls_{pos,neg}.txt</c>, an <c>unsup</c> folder), written from reviews the test invents.
/// </summary>
public static class AclImdbArchive
{
    private static readonly string[] Splits = ["train", "test"];
    private static readonly string[] Labels = ["pos", "neg"];

    /// <summary>One review: its split (train/test/unsup), label folder (pos/neg/unsup), id, rating, text, movie (tt id).</summary>
    public sealed record Entry(string Split, string Label, int Id, int Rating, string Text, string Movie);

    public static void Write(string path, IEnumerable<Entry> entries)
    {
        var list = entries.ToList();
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "aclImdb/"));
        Add(tar, "aclImdb/README", "Invented for a test.");
        foreach (var entry in list)
        {
            Add(tar, $"aclImdb/{entry.Split}/{entry.Label}/{entry.Id}_{entry.Rating}.txt", entry.Text);
        }

        foreach (var group in list.Where(e => e.Label != "unsup").GroupBy(e => (e.Split, e.Label)))
        {
            var lines = new string[group.Max(e => e.Id) + 1];
            foreach (var entry in group)
            {
                lines[entry.Id] = $"http://www.imdb.com/title/{entry.Movie}/usercomments";
            }

            Add(tar, $"aclImdb/{group.Key.Split}/urls_{group.Key.Label}.txt", string.Join('\n', lines) + "\n");
        }
    }

    /// <summary>An archive of <paramref name="perLabel"/> invented reviews per label and split, ten movies.</summary>
    public static IReadOnlyList<Entry> Invented(int perLabel) =>
        [
            .. from split in Splits
            from label in Labels
            from id in Enumerable.Range(0, perLabel)
            select new Entry(
                split,
                label,
                id,
                label == "pos" ? 7 + (id % 4) : 1 + (id % 4),
                label == "pos"
                    ? $"A wonderful, moving film number {id}. I loved the cast.<br /><br />Great fun."
                    : $"A dull, tedious mess number {id}. I hated the plot, \"boring\" throughout.",
                $"tt{1000000 + (id % 10)}"
            ),
            new Entry("train", "unsup", 0, 0, "Unlabelled text that must not appear.", "tt0"),
        ];

    private static void Add(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
        };
        tar.WriteEntry(entry);
    }
}
