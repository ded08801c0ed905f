namespace Playlist.Model;

/// <summary>
/// Leave-one-out evaluation: a seeded share of the playlists with three or more tracks each lose one track (seeded);
/// the model is trained without those tracks and asked, for each such playlist, to recommend from the rest. A hit is
/// the held-out track among the top N. Coverage is the share of the catalog that appears in any of those lists.
/// </summary>
public sealed class PlaylistEvaluation
{
    private PlaylistEvaluation(IReadOnlyList<int[]> training, IReadOnlyList<(int[] Seeds, int HeldOut)> cases)
    {
        Training = training;
        Cases = cases;
    }

    /// <summary>Every playlist, with the held-out tracks removed: what the model trains on.</summary>
    public IReadOnlyList<int[]> Training { get; }

    public IReadOnlyList<(int[] Seeds, int HeldOut)> Cases { get; }

    public static PlaylistEvaluation Split(IReadOnlyList<int[]> playlists, double testFraction, int seed)
    {
        var random = new Random(seed);
        var eligible = Enumerable.Range(0, playlists.Count).Where(i => playlists[i].Length >= 3).ToArray();
        random.Shuffle(eligible);
        var chosen = eligible.Take((int)Math.Round(eligible.Length * testFraction)).Order().ToArray();
        var training = playlists.ToArray();
        var cases = new List<(int[], int)>();
        foreach (var index in chosen)
        {
            var playlist = playlists[index];
            var heldOut = playlist[random.Next(playlist.Length)];
            var seeds = playlist.Where(t => t != heldOut).ToArray();
            training[index] = seeds;
            cases.Add((seeds, heldOut));
        }

        return new PlaylistEvaluation(training, cases);
    }

    /// <summary>Scores any model on these cases by track name, so a champion with its own catalog is scored alike.</summary>
    public IReadOnlyDictionary<string, double> Score(RuleSet model, IReadOnlyList<string> catalog, int topN)
    {
        var hits = 0;
        var recommended = new HashSet<int>();
        foreach (var (seeds, heldOut) in Cases)
        {
            var list = model.RecommendIds([.. seeds.Select(s => model.Find(catalog[s])).OfType<int>()], topN);
            var wanted = model.Find(catalog[heldOut]);
            hits += wanted is { } w && list.Any(r => r.Track == w) ? 1 : 0;
            recommended.UnionWith(list.Select(r => r.Track));
        }

        var suffix = topN.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Dictionary<string, double>
        {
            [$"hit_rate_at_{suffix}"] = Cases.Count == 0 ? 0 : (double)hits / Cases.Count,
            ["coverage"] = model.Tracks.Count == 0 ? 0 : (double)recommended.Count / model.Tracks.Count,
            ["evaluated_playlists"] = Cases.Count,
        };
    }
}
