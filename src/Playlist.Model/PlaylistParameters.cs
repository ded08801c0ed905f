using Pipeline.Training;

namespace Playlist.Model;

/// <param name="MinSupport">The share of playlists an itemset must appear in (at least 2 playlists).</param>
/// <param name="MaxItemset">The largest itemset mined (2 to 4): rules have up to MaxItemset - 1 tracks on the left.</param>
/// <param name="TopN">How many tracks a recommendation lists, and the N of hit rate@N.</param>
public sealed record PlaylistParameters(
    int Seed,
    double TestFraction,
    double MinSupport,
    double MinConfidence,
    int MaxItemset,
    int TopN,
    double MaxMalformedShare,
    int SmokePlaylists
)
{
    public static readonly string[] Known =
    [
        "seed",
        "test_fraction",
        "min_support",
        "min_confidence",
        "max_itemset",
        "top_n",
        "max_malformed_share",
        "smoke_playlists",
    ];

    public static PlaylistParameters From(TrainingConfig config)
    {
        config.RejectUnknown(Known);
        var p = new PlaylistParameters(
            config.GetInt("seed", 1),
            config.GetDouble("test_fraction", 0.2),
            config.GetDouble("min_support", 0.002),
            config.GetDouble("min_confidence", 0.05),
            config.GetInt("max_itemset", 3),
            config.GetInt("top_n", 10),
            config.GetDouble("max_malformed_share", 0.01),
            config.GetInt("smoke_playlists", 500)
        );
        Require(p.TestFraction is > 0 and < 1, "test_fraction", p.TestFraction);
        Require(p.MinSupport is > 0 and < 1, "min_support", p.MinSupport);
        Require(p.MinConfidence is >= 0 and <= 1, "min_confidence", p.MinConfidence);
        Require(p.MaxItemset is >= 2 and <= 4, "max_itemset", p.MaxItemset);
        Require(p.TopN is >= 1 and <= 100, "top_n", p.TopN);
        Require(p.SmokePlaylists >= 10, "smoke_playlists", p.SmokePlaylists);
        return p;
    }

    public IReadOnlyDictionary<string, string> ToParams() =>
        new Dictionary<string, string>
        {
            ["seed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["test_fraction"] = TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["min_support"] = MinSupport.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["min_confidence"] = MinConfidence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_itemset"] = MaxItemset.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["top_n"] = TopN.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    private static void Require(bool ok, string key, object value)
    {
        if (!ok)
        {
            throw new TrainingDataException($"param '{key}': {value} is out of range.");
        }
    }
}
