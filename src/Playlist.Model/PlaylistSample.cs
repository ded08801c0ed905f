using System.Globalization;
using Pipeline.Core.Csv;

namespace Playlist.Model;

/// <summary>
/// Invented playlists for a fresh clone and the benchmarks: made-up artists and titles from syllable and word banks,
/// grouped in genres; a playlist draws most tracks from one genre, favours a few artists and the genre's hits, so
/// tracks that go together really do. Seeded, so the same arguments always write the same bytes.
/// </summary>
public static class PlaylistSample
{
    private static readonly string[] Genres =
    [
        "Dream Pop",
        "Desert Rock",
        "Lo-Fi Beats",
        "Northern Soul",
        "Synthwave",
        "Bluegrass",
        "Deep House",
        "Chamber Folk",
        "Afrobeat",
        "Post-Punk",
    ];

    private static readonly string[] Syllables =
    [
        "ka",
        "lo",
        "mi",
        "ren",
        "sa",
        "to",
        "vel",
        "zu",
        "ori",
        "pen",
        "dra",
        "qui",
        "mar",
        "fen",
        "sol",
        "tri",
        "bel",
        "nox",
        "ly",
        "cor",
        "an",
        "ev",
        "ish",
        "ul",
    ];

    private static readonly string[] Adjectives =
    [
        "Silver",
        "Quiet",
        "Electric",
        "Paper",
        "Golden",
        "Hollow",
        "Velvet",
        "Broken",
        "Midnight",
        "Little",
        "Crimson",
        "Distant",
        "Neon",
        "Gentle",
        "Wild",
        "Frozen",
        "Sunday",
        "Restless",
        "Open",
        "Hidden",
    ];

    private static readonly string[] Nouns =
    [
        "Harbor",
        "Lanterns",
        "Satellites",
        "River",
        "Machines",
        "Garden",
        "Highway",
        "Echoes",
        "Comets",
        "Window",
        "Engines",
        "Orchard",
        "Static",
        "Tides",
        "Mirrors",
        "Summer",
        "Letters",
        "Horizon",
        "Wolves",
        "Balloons",
    ];

    /// <summary>Writes <paramref name="playlists"/> playlists (about 10 tracks each) as playlist_id,track,artist.</summary>
    public static void Write(TextWriter writer, int playlists, int seed = 2026)
    {
        var random = new Random(seed);
        var genres = Genres.Select((name, g) => MakeGenre(random, g)).ToArray();
        var csv = new CsvWriter(writer);
        csv.WriteRecord(PlaylistData.Header);
        for (var p = 0; p < playlists; p++)
        {
            var genre = genres[random.Next(genres.Length)];
            var second = random.NextDouble() < 0.25 ? genres[random.Next(genres.Length)] : null;
            var favourites = Enumerable
                .Range(0, 3)
                .Select(_ => genre.Artists[random.Next(genre.Artists.Length)])
                .ToArray();
            var length = 6 + random.Next(11);
            var chosen = new HashSet<(string Title, string Artist)>();
            for (var attempt = 0; chosen.Count < length && attempt < length * 4; attempt++)
            {
                var roll = random.NextDouble();
                var pool = second is not null && roll < 0.2 ? second : genre;
                (string, string) track = roll switch
                {
                    < 0.35 => Pick(random, favourites[random.Next(favourites.Length)]),
                    < 0.65 => pool.Hits[Zipf(random, pool.Hits.Length)],
                    _ => Pick(random, pool.Artists[random.Next(pool.Artists.Length)]),
                };
                chosen.Add(track);
            }

            var id = "pl-" + p.ToString("D6", CultureInfo.InvariantCulture);
            foreach (var (title, artist) in chosen)
            {
                csv.WriteRecord([id, title, artist]);
            }
        }
    }

    private sealed record Artist(string Name, string[] Titles);

    private sealed record Genre(Artist[] Artists, (string Title, string Artist)[] Hits);

    private static Genre MakeGenre(Random random, int index)
    {
        var artists = Enumerable
            .Range(0, 24)
            .Select(a => new Artist(
                ArtistName(random, index, a),
                [.. Enumerable.Range(0, 8).Select(_ => Title(random))]
            ))
            .ToArray();
        var hits = artists
            .SelectMany(a => a.Titles.Take(2).Select(t => (t, a.Name)))
            .OrderBy(_ => random.Next())
            .Take(20)
            .ToArray();
        return new Genre(artists, hits);
    }

    private static (string, string) Pick(Random random, Artist artist) =>
        (artist.Titles[Zipf(random, artist.Titles.Length)], artist.Name);

    /// <summary>A rank from 0 to n-1 where low ranks are much likelier, as popularity is.</summary>
    private static int Zipf(Random random, int n) => Math.Min(n - 1, (int)(n * Math.Pow(random.NextDouble(), 2.2)));

    private static string ArtistName(Random random, int genre, int index)
    {
        var word = Capitalize(Syllables[random.Next(Syllables.Length)] + Syllables[random.Next(Syllables.Length)]);
        return (index % 3) switch
        {
            0 => $"The {Adjectives[(genre + index) % Adjectives.Length]} {Nouns[(genre * 7 + index) % Nouns.Length]}",
            1 =>
                $"{word} {Capitalize(Syllables[random.Next(Syllables.Length)] + Syllables[random.Next(Syllables.Length)])}",
            _ => $"{word} & the {Nouns[(genre + index * 3) % Nouns.Length]}",
        };
    }

    private static string Title(Random random) =>
        random.Next(3) switch
        {
            0 => $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]}",
            1 => $"{Nouns[random.Next(Nouns.Length)]} of {Nouns[random.Next(Nouns.Length)]}",
            _ =>
                $"{Adjectives[random.Next(Adjectives.Length)]} {Capitalize(Syllables[random.Next(Syllables.Length)] + Syllables[random.Next(Syllables.Length)])}",
        };

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
