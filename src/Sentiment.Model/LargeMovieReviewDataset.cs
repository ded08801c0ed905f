using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Csv;
using Pipeline.Training;

namespace Sentiment.Model;

/// <summary>
/// The Large Movie Review Dataset (Maas et al., ACL 2011) as its authors publish it: <c>aclImdb_v1.tar.gz</c>, one
/// text file per review under <c>aclImdb/{train,test}/{pos,neg}/{id}_{rating}.txt</c>, and each review's movie in
/// <c>urls_{pos,neg}.txt</c> (line <c>id</c>). It becomes <c>train.csv</c> and <c>test.csv</c> (25,000 labelled
/// reviews each; the unlabelled <c>unsup</c> folder is left out) with columns <c>review,sentiment,rating,movie</c>,
/// so <c>split_group=movie</c> keeps a movie's reviews on one side and <c>test.csv</c> can be the
/// <c>eval_dataset</c>. Rows are ordered by split, id and label, so the same archive always gives the same bytes.
/// </summary>
public sealed partial class LargeMovieReviewDataset : IPublicDataset
{
    private static readonly string[] Splits = ["train", "test"];

    public string Name => "imdb";

    public string Description => "the Large Movie Review Dataset v1.0 (aclImdb, 50,000 labelled IMDB reviews)";

    public Uri Url { get; } = new("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz");

    // The digest the dataset's loaders pin (TensorFlow Datasets, MLDatasets.jl and others agree); its md5 is
    // 7c2ac02c03563afcf9b574c7e56c153a.
    public string Sha256 => "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe";

    public string DefaultFolder => "data/imdb";

    public IReadOnlyList<string> Convert(
        string archivePath,
        string outputDirectory,
        CancellationToken cancellationToken = default
    )
    {
        var reviews = new List<Review>();
        var movies = new Dictionary<(string Split, string Label), string[]>();
        try
        {
            using var gzip = new GZipStream(File.OpenRead(archivePath), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.DataStream is null || Parse(entry.Name) is not { } place)
                {
                    continue;
                }

                using var text = new StreamReader(entry.DataStream, Encoding.UTF8);
                if (place.File.StartsWith("urls_", StringComparison.Ordinal))
                {
                    movies[(place.Split, place.File[5..^4])] = text.ReadToEnd().Split('\n');
                }
                else if (ReviewFile().Match(place.File) is { Success: true } file)
                {
                    reviews.Add(
                        new Review(
                            place.Split,
                            int.Parse(file.Groups[1].Value),
                            place.Label,
                            file.Groups[2].Value,
                            text.ReadToEnd()
                        )
                    );
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new TrainingDataException($"{archivePath}: not a readable .tar.gz archive ({ex.Message}).");
        }

        return Splits.Select(split => Write(split, reviews, movies, outputDirectory, archivePath)).ToList();
    }

    private static string Write(
        string split,
        List<Review> reviews,
        Dictionary<(string Split, string Label), string[]> movies,
        string outputDirectory,
        string archivePath
    )
    {
        var rows = reviews
            .Where(r => r.Split == split)
            .OrderBy(r => r.Id)
            .ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
        {
            throw new TrainingDataException(
                $"{archivePath}: no reviews under aclImdb/{split}/pos or aclImdb/{split}/neg; this is not the Large Movie Review Dataset."
            );
        }

        var name = split + ".csv";
        using var writer = new StreamWriter(Path.Combine(outputDirectory, name), false, new UTF8Encoding(false));
        var csv = new CsvWriter(writer);
        csv.WriteRecord(["review", "sentiment", "rating", "movie"]);
        foreach (var review in rows)
        {
            var url =
                movies.TryGetValue((split, review.Label), out var lines) && review.Id < lines.Length
                    ? lines[review.Id]
                    : "";
            csv.WriteRecord([
                review.Text,
                review.Label == "pos" ? "positive" : "negative",
                review.Rating,
                MovieId().Match(url).Value,
            ]);
        }

        return name;
    }

    private static (string Split, string Label, string File)? Parse(string entryName)
    {
        var parts = entryName.TrimStart('.', '/').Split('/');
        return parts switch
        {
            ["aclImdb", var split, "pos" or "neg", var file] when Splits.Contains(split) => (split, parts[2], file),
            ["aclImdb", var split, var file] when Splits.Contains(split) && file is "urls_pos.txt" or "urls_neg.txt" =>
                (split, file[5..^4], file),
            _ => null,
        };
    }

    private sealed record Review(string Split, int Id, string Label, string Rating, string Text);

    [GeneratedRegex(@"^(\d+)_(\d+)\.txt$")]
    private static partial Regex ReviewFile();

    [GeneratedRegex(@"tt\d+")]
    private static partial Regex MovieId();
}
