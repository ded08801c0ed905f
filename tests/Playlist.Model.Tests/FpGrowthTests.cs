namespace Playlist.Model.Tests;

public sealed class FpGrowthTests
{
    [Fact]
    public void Mine_RandomBaskets_FindsExactlyWhatCountingEverySubsetFinds()
    {
        var random = new Random(7);
        var baskets = Enumerable
            .Range(0, 300)
            .Select(_ => Enumerable.Range(0, 12).Where(_ => random.NextDouble() < 0.3).ToArray())
            .ToList();

        var mined = FpGrowth.Mine(baskets, minCount: 15, maxLength: 3);

        var expected = new Dictionary<string, int>();
        foreach (var basket in baskets)
        {
            foreach (var subset in Subsets(basket, 3))
            {
                var key = string.Join(',', subset);
                expected[key] = expected.GetValueOrDefault(key) + 1;
            }
        }

        mined
            .ToDictionary(i => string.Join(',', i.Items), i => i.Count)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ShouldBe(expected.Where(kv => kv.Value >= 15).OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Rules_TextbookBaskets_HaveTheTextbookSupportConfidenceAndLift()
    {
        // 0 = bread, 1 = butter, 2 = milk: bread+butter in 3 of 5, bread in 4, butter in 3.
        int[][] baskets =
        [
            [0, 1],
            [0, 1, 2],
            [0, 1],
            [0, 2],
            [2],
        ];

        var rules = AssociationRules.From(FpGrowth.Mine(baskets, 1, 2), baskets.Length, 0);

        var butterGivenBread = rules.Single(r => r.Antecedent.SequenceEqual([0]) && r.Consequent == 1);
        butterGivenBread.Support.ShouldBe(0.6, 1e-9);
        butterGivenBread.Confidence.ShouldBe(0.75, 1e-9);
        butterGivenBread.Lift.ShouldBe(0.75 / 0.6, 1e-9);
    }

    private static IEnumerable<int[]> Subsets(int[] items, int maxLength)
    {
        var sorted = items.Order().ToArray();
        for (var mask = 1; mask < 1 << sorted.Length; mask++)
        {
            if (int.PopCount(mask) <= maxLength)
            {
                yield return
                [
                    .. Enumerable.Range(0, sorted.Length).Where(i => (mask & (1 << i)) != 0).Select(i => sorted[i]),
                ];
            }
        }
    }
}
