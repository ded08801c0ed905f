using Pipeline.Core.Csv;
using Pipeline.Testing;
using Pipeline.Training;

namespace Sentiment.Model.Tests;

/// <summary>The published aclImdb layout, in tarballs the tests write, converted to the project's CSV.</summary>
public sealed class LargeMovieReviewDatasetTests : IDisposable
{
    private readonly TempDirectory _folder = new("aclimdb");

    public void Dispose() => _folder.Dispose();

    private string Convert(IEnumerable<AclImdbArchive.Entry> entries, out IReadOnlyList<string> names)
    {
        var archive = _folder.Combine("aclImdb_v1.tar.gz");
        AclImdbArchive.Write(archive, entries);
        var output = Directory.CreateDirectory(_folder.Combine("out")).FullName;
        names = new LargeMovieReviewDataset().Convert(archive, output);
        return output;
    }

    [Fact]
    public void Convert_PublishedLayout_WritesTrainAndTestWithLabelsRatingsAndMovies()
    {
        var output = Convert(AclImdbArchive.Invented(perLabel: 3), out var names);

        names.ShouldBe(["train.csv", "test.csv"]);
        var train = CsvReader.ReadFile(Path.Combine(output, "train.csv")).Select(r => r.Fields).ToList();
        train[0].ShouldBe(["review", "sentiment", "rating", "movie"]);
        train.Count.ShouldBe(1 + 6);
        train[1]
            .ShouldBe([
                "A dull, tedious mess number 0. I hated the plot, \"boring\" throughout.",
                "negative",
                "1",
                "tt1000000",
            ]);
        train[2]
            .ShouldBe([
                "A wonderful, moving film number 0. I loved the cast.<br /><br />Great fun.",
                "positive",
                "7",
                "tt1000000",
            ]);
        train.ShouldNotContain(r => r[0].Contains("Unlabelled"));
        CsvReader.ReadFile(Path.Combine(output, "test.csv")).Count().ShouldBe(1 + 6);
    }

    [Fact]
    public void Convert_SameArchiveTwice_GivesTheSameBytes()
    {
        var entries = AclImdbArchive.Invented(perLabel: 5).Reverse().ToList();
        var first = File.ReadAllBytes(Path.Combine(Convert(entries, out _), "train.csv"));
        Directory.Delete(_folder.Combine("out"), recursive: true);

        var second = File.ReadAllBytes(
            Path.Combine(Convert(entries.Reverse<AclImdbArchive.Entry>(), out _), "train.csv")
        );

        second.ShouldBe(first);
    }

    [Fact]
    public void Convert_ConvertedCsv_LoadsAsADatasetGroupedByMovie()
    {
        var output = Convert(AclImdbArchive.Invented(perLabel: 20), out _);

        var loaded = ImdbDataset.Load(Path.Combine(output, "train.csv"), 0, groupColumn: "movie");

        loaded.Rows.Count.ShouldBe(40);
        loaded.Malformed.ShouldBeEmpty();
        loaded.Groups!.Distinct().Count().ShouldBe(10);
    }

    [Fact]
    public void Convert_NotAGzipTarball_NamesTheArchive()
    {
        var archive = _folder.Write("aclImdb_v1.tar.gz", "<html>a proxy's error page</html>");

        Should
            .Throw<TrainingDataException>(() => new LargeMovieReviewDataset().Convert(archive, _folder.Path))
            .Message.ShouldStartWith($"{archive}: not a readable .tar.gz archive");
    }

    [Fact]
    public void Convert_ArchiveWithoutATestSplit_SaysItIsNotTheDataset()
    {
        var ex = Should.Throw<TrainingDataException>(() =>
            Convert(AclImdbArchive.Invented(perLabel: 2).Where(e => e.Split == "train"), out _)
        );

        ex.Message.ShouldContain("no reviews under aclImdb/test/pos or aclImdb/test/neg");
    }
}
