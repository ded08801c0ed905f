using Pipeline.Core.Csv;
using Pipeline.Training;

namespace Playlist.Model;

/// <summary>
/// Playlists as baskets of tracks, read from a CSV with the header <c>playlist_id,track,artist</c>. A track is its
/// title and artist together ("Song — Artist"), so two songs of the same name stay apart; a track listed twice in
/// one playlist counts once. Malformed rows are skipped and named, up to a share of the file.
/// </summary>
public sealed class PlaylistData
{
    public static readonly string[] Header = ["playlist_id", "track", "artist"];

    private PlaylistData(
        IReadOnlyList<string> tracks,
        IReadOnlyList<int[]> playlists,
        long rows,
        IReadOnlyList<string> malformed
    )
    {
        Tracks = tracks;
        Playlists = playlists;
        Rows = rows;
        Malformed = malformed;
    }

    /// <summary>Every distinct track, by id.</summary>
    public IReadOnlyList<string> Tracks { get; }

    /// <summary>Each playlist's distinct track ids, in the order they first appear.</summary>
    public IReadOnlyList<int[]> Playlists { get; }

    public long Rows { get; }

    /// <summary>Skipped rows as "line N: reason".</summary>
    public IReadOnlyList<string> Malformed { get; }

    public static string TrackName(string title, string artist) => $"{title} — {artist}";

    public static PlaylistData Load(string path, double maxMalformedShare = 0.01)
    {
        if (!File.Exists(path))
        {
            throw new TrainingDataException($"{path}: the playlist file does not exist.");
        }

        using var reader = new StreamReader(path);
        return Read(reader, path, maxMalformedShare);
    }

    public static PlaylistData Read(TextReader reader, string source, double maxMalformedShare = 0.01)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var tracks = new List<string>();
        var byPlaylist = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        var malformed = new List<string>();
        long rows = 0;
        var first = true;
        try
        {
            foreach (var record in CsvReader.Read(reader))
            {
                if (first)
                {
                    first = false;
                    RequireHeader(record, source);
                    continue;
                }

                rows++;
                var fields = record.Fields;
                if (fields.Length != 3 || fields.Any(f => f.Trim().Length == 0))
                {
                    malformed.Add($"line {record.Line}: expected playlist_id,track,artist with none empty");
                    continue;
                }

                var name = TrackName(fields[1].Trim(), fields[2].Trim());
                if (!ids.TryGetValue(name, out var id))
                {
                    id = tracks.Count;
                    ids[name] = id;
                    tracks.Add(name);
                }

                var playlist = fields[0].Trim();
                if (!byPlaylist.TryGetValue(playlist, out var items))
                {
                    byPlaylist[playlist] = items = [];
                    order.Add(playlist);
                }

                if (!items.Contains(id))
                {
                    items.Add(id);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            throw new TrainingDataException($"{source}:{ex.Line}: {ex.Message}");
        }

        if (first)
        {
            throw new TrainingDataException(
                $"{source}:1: the file is empty; expected the header playlist_id,track,artist."
            );
        }

        if (rows > 0 && malformed.Count > maxMalformedShare * rows)
        {
            throw new TrainingDataException(
                $"{source}:{malformed[0]}: {malformed.Count} of {rows} rows are malformed, more than max_malformed_share={maxMalformedShare}."
            );
        }

        if (byPlaylist.Count < 2)
        {
            throw new TrainingDataException(
                $"{source}: {byPlaylist.Count} playlist(s); at least 2 are needed to learn anything."
            );
        }

        return new PlaylistData(tracks, order.Select(p => byPlaylist[p].ToArray()).ToList(), rows, malformed);
    }

    private static void RequireHeader(CsvRecord record, string source)
    {
        if (!record.Fields.Select(f => f.Trim().ToLowerInvariant()).SequenceEqual(Header))
        {
            throw new TrainingDataException(
                $"{source}:{record.Line}: the header is '{string.Join(',', record.Fields)}'; expected playlist_id,track,artist."
            );
        }
    }
}
