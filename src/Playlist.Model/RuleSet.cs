using System.Text.Json;
using Pipeline.Core.IO;

namespace Playlist.Model;

/// <summary>One recommended track: its name, the best rule's confidence and lift (popularity fills have lift 0).</summary>
public sealed record Recommendation(string Track, double Confidence, double Lift);

/// <summary>
/// A trained recommender: the catalog, the rules indexed by antecedent, and the most popular tracks to fill a list
/// the rules cannot. Recommending looks up every antecedent the seeds contain (singles, pairs and, for a short seed
/// list, triples), keeps each candidate's best confidence, and never recommends a seed. Saved as <c>rules.json</c>.
/// </summary>
public sealed class RuleSet
{
    public const string FileName = "rules.json";
    public const int FormatVersion = 1;

    /// <summary>Seeds beyond this many (the last ones count) are ignored, so a request's cost is bounded.</summary>
    public const int MaxSeeds = 50;

    private readonly Dictionary<ulong, (int Track, float Confidence, float Lift)[]> _byAntecedent;
    private readonly Dictionary<string, int> _ids;

    private RuleSet(
        IReadOnlyList<string> tracks,
        IReadOnlyList<int> popular,
        IReadOnlyList<AssociationRule> rules,
        int playlists
    )
    {
        Tracks = tracks;
        Popular = popular;
        Rules = rules;
        Playlists = playlists;
        MaxAntecedent = rules.Count == 0 ? 0 : rules.Max(r => r.Antecedent.Length);
        _ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tracks.Count; i++)
        {
            _ids.TryAdd(tracks[i], i);
        }

        _byAntecedent = rules
            .GroupBy(r => Key(r.Antecedent))
            .ToDictionary(
                g => g.Key,
                g =>
                    g.OrderByDescending(r => r.Confidence)
                        .ThenByDescending(r => r.Lift)
                        .Select(r => (r.Consequent, (float)r.Confidence, (float)r.Lift))
                        .ToArray()
            );
    }

    public IReadOnlyList<string> Tracks { get; }

    public IReadOnlyList<int> Popular { get; }

    public IReadOnlyList<AssociationRule> Rules { get; }

    public int Playlists { get; }

    /// <summary>The most tracks on a rule's left side: how deep a recommendation looks among the seeds.</summary>
    public int MaxAntecedent { get; }

    public static RuleSet Create(
        IReadOnlyList<string> tracks,
        IReadOnlyList<int[]> playlists,
        IReadOnlyList<AssociationRule> rules,
        int popularCount = 100
    )
    {
        var counts = new int[tracks.Count];
        foreach (var playlist in playlists)
        {
            foreach (var track in playlist)
            {
                counts[track]++;
            }
        }

        var popular = Enumerable
            .Range(0, tracks.Count)
            .OrderByDescending(t => counts[t])
            .ThenBy(t => t)
            .Take(popularCount)
            .ToList();
        return new RuleSet(tracks, popular, rules, playlists.Count);
    }

    /// <summary>The track's id, matching its name without regard to case; null when the catalog does not have it.</summary>
    public int? Find(string track) => _ids.TryGetValue(track.Trim(), out var id) ? id : null;

    public IReadOnlyList<Recommendation> Recommend(IEnumerable<string> seeds, int count) =>
        [
            .. RecommendIds([.. seeds.Select(Find).OfType<int>()], count)
                .Select(r => new Recommendation(Tracks[r.Track], r.Confidence, r.Lift)),
        ];

    public IReadOnlyList<(int Track, double Confidence, double Lift)> RecommendIds(IReadOnlyList<int> seeds, int count)
    {
        var distinct = seeds.Distinct().TakeLast(MaxSeeds).ToArray();
        Array.Sort(distinct);
        var scores = new Dictionary<int, (float Confidence, float Lift)>();
        void Consider(ulong key)
        {
            if (!_byAntecedent.TryGetValue(key, out var consequents))
            {
                return;
            }

            foreach (var (track, confidence, lift) in consequents)
            {
                if (
                    Array.BinarySearch(distinct, track) < 0
                    && (!scores.TryGetValue(track, out var best) || (confidence, lift).CompareTo(best) > 0)
                )
                {
                    scores[track] = (confidence, lift);
                }
            }
        }

        var depth = MaxAntecedent;
        for (var i = 0; i < distinct.Length; i++)
        {
            Consider(Key([distinct[i]]));
            for (var j = i + 1; depth >= 2 && j < distinct.Length; j++)
            {
                Consider(Key([distinct[i], distinct[j]]));
                for (var k = j + 1; depth >= 3 && distinct.Length <= 20 && k < distinct.Length; k++)
                {
                    Consider(Key([distinct[i], distinct[j], distinct[k]]));
                }
            }
        }

        var ranked = scores
            .OrderByDescending(s => s.Value.Confidence)
            .ThenByDescending(s => s.Value.Lift)
            .ThenBy(s => s.Key)
            .Take(count)
            .Select(s => (s.Key, (double)s.Value.Confidence, (double)s.Value.Lift))
            .ToList();
        foreach (var track in Popular)
        {
            if (ranked.Count >= count)
            {
                break;
            }

            if (Array.BinarySearch(distinct, track) < 0 && !scores.ContainsKey(track))
            {
                ranked.Add((track, 0, 0));
            }
        }

        return ranked;
    }

    /// <summary>An antecedent's lookup key: up to three ids, ascending, 21 bits each.</summary>
    public static ulong Key(IReadOnlyList<int> items)
    {
        if (items.Count > 3)
        {
            throw new ArgumentException("antecedents hold at most 3 tracks (max_itemset is at most 4)", nameof(items));
        }

        ulong key = 0;
        foreach (var item in items.Order())
        {
            key = (key << 21) | (uint)(item + 1);
        }

        return key;
    }

    public void Save(string directory) =>
        AtomicFile.Write(
            Path.Combine(directory, FileName),
            stream =>
            {
                using var json = new Utf8JsonWriter(stream);
                json.WriteStartObject();
                json.WriteNumber("format", FormatVersion);
                json.WriteNumber("playlists", Playlists);
                json.WriteStartArray("tracks");
                foreach (var track in Tracks)
                {
                    json.WriteStringValue(track);
                }

                json.WriteEndArray();
                json.WriteStartArray("popular");
                foreach (var track in Popular)
                {
                    json.WriteNumberValue(track);
                }

                json.WriteEndArray();
                json.WriteStartArray("rules");
                foreach (var rule in Rules)
                {
                    json.WriteStartArray();
                    json.WriteStartArray();
                    foreach (var item in rule.Antecedent)
                    {
                        json.WriteNumberValue(item);
                    }

                    json.WriteEndArray();
                    json.WriteNumberValue(rule.Consequent);
                    json.WriteNumberValue(Math.Round(rule.Support, 6));
                    json.WriteNumberValue(Math.Round(rule.Confidence, 6));
                    json.WriteNumberValue(Math.Round(rule.Lift, 4));
                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        );

    /// <summary>Reads a model folder's rules.json; a missing or malformed file is an error naming it.</summary>
    public static RuleSet Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("format").GetInt32() != FormatVersion)
            {
                throw new InvalidDataException($"{path}: format {root.GetProperty("format")} is not {FormatVersion}.");
            }

            var tracks = root.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()!).ToList();
            var popular = root.GetProperty("popular").EnumerateArray().Select(t => t.GetInt32()).ToList();
            var rules = root.GetProperty("rules")
                .EnumerateArray()
                .Select(r => new AssociationRule(
                    [.. r[0].EnumerateArray().Select(i => i.GetInt32())],
                    r[1].GetInt32(),
                    r[2].GetDouble(),
                    r[3].GetDouble(),
                    r[4].GetDouble()
                ))
                .ToList();
            if (rules.Any(r => r.Consequent >= tracks.Count || r.Antecedent.Any(a => a >= tracks.Count || a < 0)))
            {
                throw new InvalidDataException($"{path}: a rule names a track id outside the catalog.");
            }

            return new RuleSet(tracks, popular, rules, root.GetProperty("playlists").GetInt32());
        }
        catch (Exception ex)
            when (ex
                    is JsonException
                        or KeyNotFoundException
                        or InvalidOperationException
                        or IndexOutOfRangeException
                        or FileNotFoundException
                        or DirectoryNotFoundException
            )
        {
            throw new InvalidDataException($"{path}: not a playlist model ({ex.Message}).", ex);
        }
    }
}
