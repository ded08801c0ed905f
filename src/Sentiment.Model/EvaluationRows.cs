using Pipeline.Training;

namespace Sentiment.Model;

/// <summary>
/// Which rows train and which evaluate, decided one way for a challenger and the champion it is compared with: a
/// fixed evaluation dataset when the config names one (<c>eval_dataset</c>), else a seeded split of the data — a
/// hold-out share (<c>test_fraction</c>) or one of <c>folds</c> parts (<c>fold</c>), by row or, with
/// <c>split_group</c>, by group, so reviews of the same movie never sit on both sides.
/// </summary>
internal sealed record EvaluationRows(
    LoadedDataset Data,
    List<SentimentInput> Train,
    List<SentimentInput> Test,
    string Describe
)
{
    public static EvaluationRows For(TrainingRequest request, SentimentParameters p)
    {
        var data = ImdbDataset.Load(
            request.DatasetPath,
            p.MaxMalformedShare,
            request.Smoke ? p.SmokeRows : null,
            p.SplitGroup.Length > 0 ? p.SplitGroup : null
        );
        if (request.EvaluationDatasetPath is { } evaluation)
        {
            var fixedSet = ImdbDataset.Load(evaluation, p.MaxMalformedShare);
            return new EvaluationRows(
                data,
                [.. data.Rows],
                [.. fixedSet.Rows],
                $"rows of the fixed evaluation set {fixedSet.Path}"
            );
        }

        var (train, test) = Split(data, p);
        if (train.Select(r => r.Label).Distinct().Count() < 2 || test.Select(r => r.Label).Distinct().Count() < 2)
        {
            throw new TrainingDataException(
                $"{data.Path}: with {data.Rows.Count} rows and this split, the training or evaluation rows hold only one class; add rows or change the split."
            );
        }

        var how = p.Folds > 1 ? $"fold {p.Fold} of {p.Folds}" : $"{p.TestFraction:P0} held out";
        return new EvaluationRows(
            data,
            train,
            test,
            $"held-out rows ({how}{(p.SplitGroup.Length > 0 ? $", by {p.SplitGroup}" : string.Empty)})"
        );
    }

    /// <summary>A seeded shuffle of the rows (or of the groups), then a share or one fold of it held out.</summary>
    private static (List<SentimentInput> Train, List<SentimentInput> Test) Split(
        LoadedDataset data,
        SentimentParameters p
    )
    {
        var rows = data.Rows;
        // Units are rows, or the rows of one group: a unit goes wholly to one side.
        var units = data.Groups is { } groups
            ? rows.Select((row, i) => (row, group: groups[i]))
                .GroupBy(x => x.group, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Select(x => x.row).ToList())
                .ToArray()
            : [.. rows.Select(r => new List<SentimentInput> { r })];
        new Random(p.Seed).Shuffle(units);
        var (from, to) =
            p.Folds > 1
                ? (rows.Count * p.Fold / p.Folds, rows.Count * (p.Fold + 1) / p.Folds)
                : (rows.Count - (int)Math.Round(rows.Count * p.TestFraction), rows.Count);
        var train = new List<SentimentInput>();
        var test = new List<SentimentInput>();
        var position = 0;
        foreach (var unit in units)
        {
            // A unit lands where its first row falls, so a group never straddles the boundary.
            (position >= from && position < to ? test : train).AddRange(unit);
            position += unit.Count;
        }

        return (train, test);
    }
}
