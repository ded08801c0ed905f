using Pipeline.Testing;
using Pipeline.Training;

namespace Sentiment.Model.Tests;

public sealed class EvaluationRowsTests
{
    /// <summary>Thirty movies with four reviews each, two of each label.</summary>
    private static string GroupedDataset(TempDirectory temp)
    {
        var lines = new List<string> { "review,sentiment,movie" };
        for (var movie = 0; movie < 30; movie++)
        {
            for (var review = 0; review < 4; review++)
            {
                lines.Add(
                    $"review {review} of movie {movie} {(review % 2 == 0 ? "great" : "awful")},{(review % 2 == 0 ? "positive" : "negative")},tt{movie:D4}"
                );
            }
        }

        return temp.Write("grouped.csv", string.Join('\n', lines) + "\n");
    }

    private static EvaluationRows Rows(
        TempDirectory temp,
        string dataset,
        string? evaluation,
        params string[] overrides
    )
    {
        var config = TrainingFixture.Config(temp, overrides: overrides);
        return EvaluationRows.For(
            new TrainingRequest(dataset, temp.Combine("out"), config, false, _ => { })
            {
                EvaluationDatasetPath = evaluation,
            },
            SentimentParameters.From(config)
        );
    }

    [Fact]
    public void For_SplitGroup_KeepsEveryMovieOnOneSide()
    {
        using var temp = new TempDirectory("rows");

        var rows = Rows(temp, GroupedDataset(temp), null, "split_group=movie");

        static string Movie(SentimentInput row) => row.Review.Split(' ')[4];
        rows.Train.Select(Movie).Intersect(rows.Test.Select(Movie)).ShouldBeEmpty();
        rows.Test.Count.ShouldBe(24); // 20% of 120 rows, in whole movies of four
        rows.Describe.ShouldContain("by movie");
    }

    [Fact]
    public void For_RowSplitOfTheSameData_PutsSomeMovieOnBothSides()
    {
        using var temp = new TempDirectory("rows");

        var rows = Rows(temp, GroupedDataset(temp), null);

        static string Movie(SentimentInput row) => row.Review.Split(' ')[4];
        rows.Train.Select(Movie).Intersect(rows.Test.Select(Movie)).ShouldNotBeEmpty();
    }

    [Fact]
    public void For_Folds_PartitionTheRows()
    {
        using var temp = new TempDirectory("rows");
        var dataset = GroupedDataset(temp);

        var tests = Enumerable
            .Range(0, 5)
            .Select(fold => Rows(temp, dataset, null, "folds=5", $"fold={fold}").Test.Select(r => r.Review).ToList())
            .ToList();

        tests.SelectMany(t => t).Count().ShouldBe(120);
        tests.SelectMany(t => t).Distinct().Count().ShouldBe(120);
    }

    [Fact]
    public void For_EvaluationDataset_TrainsOnAllRowsAndEvaluatesOnTheFixedSet()
    {
        using var temp = new TempDirectory("rows");
        var evaluation = temp.Write("eval.csv", "review,sentiment\ngood film,positive\nbad film,negative\n");

        var rows = Rows(temp, GroupedDataset(temp), evaluation);

        rows.Train.Count.ShouldBe(120);
        rows.Test.Select(r => r.Review).ShouldBe(["good film", "bad film"]);
    }

    [Fact]
    public void For_SplitGroupColumnMissing_NamesTheColumn()
    {
        using var temp = new TempDirectory("rows");

        var error = Should.Throw<TrainingDataException>(() =>
            Rows(temp, TrainingFixture.SampleDataset, null, "split_group=movie")
        );

        error.Message.ShouldContain("param 'split_group' names column 'movie'");
    }
}
