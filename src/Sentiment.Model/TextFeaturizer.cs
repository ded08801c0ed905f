using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace Sentiment.Model;

/// <summary>
/// Review text to TF-IDF word n-grams, L2-normalized: what ML.NET's text featurizer did for this model, in one pass
/// over the characters with no string allocated per token, so a prediction costs microseconds, not a quarter
/// millisecond. Lower-cases, drops HTML tags (<c>&lt;br /&gt;</c>) and apostrophes, splits on everything that is not
/// a letter or digit. The vocabulary (the n-grams with the highest document frequency in the training split) and
/// its IDF weights are part of the model: they travel inside <c>model.zip</c>. Immutable and thread-safe; each
/// thread brings its own <see cref="Scratch"/>.
/// </summary>
public sealed class TextFeaturizer
{
    private const int MaxTokenLength = 64;
    private const string Header = "sentiment-text-featurizer v1";
    private readonly TokenTable _tokenIds;
    private readonly int[] _unigramFeature;
    private readonly BigramTable _bigramFeatures;
    private readonly float[] _idf;

    private TextFeaturizer(
        Dictionary<string, int> tokens,
        int[] unigramFeature,
        Dictionary<long, int> bigramFeature,
        float[] idf,
        int ngram
    )
    {
        _tokenIds = new TokenTable(tokens);
        _unigramFeature = unigramFeature;
        _bigramFeatures = new BigramTable(bigramFeature);
        _idf = idf;
        NgramLength = ngram;
    }

    /// <summary>How many features a review becomes: the vector length the classifier is trained on.</summary>
    public int Length => _idf.Length;

    public int NgramLength { get; }

    /// <summary>Learns the vocabulary from the training texts: unigrams and (for <paramref name="ngram"/> 2) bigrams, the <paramref name="maxNgrams"/> most frequent.</summary>
    public static TextFeaturizer Fit(IReadOnlyList<string> texts, int ngram, int maxNgrams)
    {
        if (ngram is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ngram), ngram, "word n-grams of length 1 or 2");
        }

        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        var counts = new Dictionary<long, Count>(texts.Count * 32, MixedKey.Instance);
        var seen = new HashSet<long>(MixedKey.Instance);
        var ids = new List<int>();
        var scratch = new char[MaxTokenLength];
        foreach (var text in texts)
        {
            ids.Clear();
            foreach (var token in new TokenScanner(text, scratch))
            {
                if (!lookup.TryGetValue(token, out var id))
                {
                    id = tokens.Count;
                    tokens.Add(token.ToString(), id);
                }

                ids.Add(id);
            }

            seen.Clear();
            for (var i = 0; i < ids.Count; i++)
            {
                seen.Add(UnigramKey(ids[i]));
                if (ngram == 2 && i > 0)
                {
                    seen.Add(BigramKey(ids[i - 1], ids[i]));
                }
            }

            foreach (var key in seen)
            {
                ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(
                    counts,
                    key,
                    out var exists
                );
                if (!exists)
                {
                    count.Order = counts.Count;
                }

                count.Df++;
            }
        }

        // The most frequent first, ties in order of first appearance: only the n-grams at or above the cut-off are sorted.
        var histogram = new int[texts.Count + 2];
        foreach (var count in counts.Values)
        {
            histogram[count.Df]++;
        }

        var cutoff = texts.Count + 1;
        for (var above = 0; cutoff > 1 && above < maxNgrams; )
        {
            above += histogram[--cutoff];
        }

        var selected = counts.Where(c => c.Value.Df >= cutoff).ToList();
        selected.Sort(
            (a, b) =>
                a.Value.Df != b.Value.Df ? b.Value.Df.CompareTo(a.Value.Df) : a.Value.Order.CompareTo(b.Value.Order)
        );
        if (selected.Count > maxNgrams)
        {
            selected.RemoveRange(maxNgrams, selected.Count - maxNgrams);
        }

        var byId = new string[tokens.Count];
        foreach (var (token, id) in tokens)
        {
            byId[id] = token;
        }

        var grams = new List<(string First, string? Second, float Idf)>(selected.Count);
        foreach (var (key, (df, _)) in selected.Select(c => (c.Key, (c.Value.Df, c.Value.Order))))
        {
            var idf = (float)Math.Log((double)texts.Count / df);
            var (first, second) = ((int)(key >> 32), (int)(key & 0xFFFFFFFF));
            grams.Add(second == -1 ? (byId[first], null, idf) : (byId[first], byId[second], idf));
        }

        return Build(grams, ngram);
    }

    /// <summary>The review as a sparse, L2-normalized TF-IDF vector of <see cref="Length"/> slots.</summary>
    public void Featurize(string? text, Scratch scratch, ref VBuffer<float> features)
    {
        var slots = scratch.Slots;
        slots.Clear();
        var previous = -1;
        var tokens = new TokenScanner(text ?? string.Empty, scratch.Chars);
        while (tokens.MoveNext())
        {
            var id = _tokenIds.Find(tokens.Current, tokens.Hash);
            if (id < 0)
            {
                previous = -1;
                continue;
            }

            if (_unigramFeature[id] >= 0)
            {
                slots.Add(_unigramFeature[id]);
            }

            if (previous >= 0 && _bigramFeatures.Find(BigramKey(previous, id)) is var bigram and >= 0)
            {
                slots.Add(bigram);
            }

            previous = id;
        }

        // Sorted, distinct slots without a sort: weights gather in a dense array, a bitset marks which slots are set.
        var weights = scratch.Weights(Length);
        var marks = scratch.Marks(Length);
        var distinct = 0;
        foreach (var slot in slots)
        {
            ref var mark = ref marks[slot >> 6];
            var bit = 1UL << (slot & 63);
            distinct += (mark & bit) == 0 ? 1 : 0;
            mark |= bit;
            weights[slot] += _idf[slot];
        }

        var editor = VBufferEditor.Create(ref features, Length, distinct, requireIndicesOnDense: true);
        var n = 0;
        var norm = 0.0;
        for (var word = 0; word < marks.Length && n < distinct; word++)
        {
            var bits = marks[word];
            marks[word] = 0;
            while (bits != 0)
            {
                var slot = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                editor.Indices[n] = slot;
                editor.Values[n] = weights[slot];
                norm += weights[slot] * weights[slot];
                weights[slot] = 0;
                n++;
            }
        }

        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < distinct; i++)
            {
                editor.Values[i] *= scale;
            }
        }

        features = editor.Commit();
    }

    /// <summary>One n-gram a line, in feature order: its IDF, a tab, its tokens joined by a space.</summary>
    public void Save(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine($"{Header}\tngram={NgramLength}\tfeatures={Length}");
        var names = new string[Length];
        var byId = new string[_unigramFeature.Length];
        foreach (var (token, id) in _tokenIds.Entries)
        {
            byId[id] = token;
        }

        for (var id = 0; id < _unigramFeature.Length; id++)
        {
            if (_unigramFeature[id] >= 0)
            {
                names[_unigramFeature[id]] = byId[id];
            }
        }

        foreach (var (key, feature) in _bigramFeatures.Entries)
        {
            names[feature] = $"{byId[(int)(key >> 32)]} {byId[(int)(key & 0xFFFFFFFF)]}";
        }

        for (var i = 0; i < Length; i++)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_idf[i]:R}\t{names[i]}"));
        }
    }

    public static TextFeaturizer Load(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var header = reader.ReadLine()?.Split('\t') ?? [];
        if (header.Length != 3 || header[0] != Header || !header[1].StartsWith("ngram=", StringComparison.Ordinal))
        {
            throw new FormatException($"not a {Header} vocabulary");
        }

        var grams = new List<(string First, string? Second, float Idf)>();
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            var idf = float.Parse(line.AsSpan(0, tab), CultureInfo.InvariantCulture);
            var words = line[(tab + 1)..].Split(' ');
            grams.Add((words[0], words.Length > 1 ? words[1] : null, idf));
        }

        return Build(grams, int.Parse(header[1]["ngram=".Length..], CultureInfo.InvariantCulture));
    }

    private static TextFeaturizer Build(List<(string First, string? Second, float Idf)> grams, int ngram)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string token) => tokens.TryGetValue(token, out var id) ? id : tokens[token] = tokens.Count;
        foreach (var (first, second, _) in grams)
        {
            Id(first);
            if (second is not null)
            {
                Id(second);
            }
        }

        var unigrams = Enumerable.Repeat(-1, tokens.Count).ToArray();
        var bigrams = new Dictionary<long, int>(MixedKey.Instance);
        var idf = new float[grams.Count];
        for (var feature = 0; feature < grams.Count; feature++)
        {
            var (first, second, weight) = grams[feature];
            idf[feature] = weight;
            if (second is null)
            {
                unigrams[tokens[first]] = feature;
            }
            else
            {
                bigrams[BigramKey(tokens[first], tokens[second])] = feature;
            }
        }

        return new TextFeaturizer(tokens, unigrams, bigrams, idf, ngram);
    }

    /// <summary>FNV-1a over a token's characters: the scanner computes it as it reads, so a lookup never reads the token twice.</summary>
    private static class TokenHash
    {
        public const uint Seed = 2166136261;

        public static uint Add(uint hash, char c) => (hash ^ c) * 16777619;

        public static uint Of(string token)
        {
            var hash = Seed;
            foreach (var c in token)
            {
                hash = Add(hash, c);
            }

            return hash;
        }
    }

    /// <summary>
    /// Token → id in one open-addressed array (hash, id and key side by side): a prediction looks up every token of
    /// the review, and this took half the time of a <see cref="Dictionary{TKey,TValue}"/> span lookup.
    /// </summary>
    private sealed class TokenTable
    {
        private readonly Entry[] _entries;
        private readonly int _mask;
        private readonly int _shift;

        public TokenTable(Dictionary<string, int> tokens)
        {
            _entries = new Entry[TableSize(tokens.Count)];
            _mask = _entries.Length - 1;
            _shift = 32 - System.Numerics.BitOperations.Log2((uint)_entries.Length);
            Array.Fill(_entries, new Entry(0, -1, string.Empty));
            foreach (var (token, id) in tokens)
            {
                var hash = TokenHash.Of(token);
                var at = Slot(hash);
                while (_entries[at].Id >= 0)
                {
                    at = (at + 1) & _mask;
                }

                _entries[at] = new Entry(hash, id, token);
            }
        }

        /// <summary>Every token and its id, in table order (for saving).</summary>
        public IEnumerable<(string Token, int Id)> Entries =>
            _entries.Where(e => e.Id >= 0).Select(e => (e.Token, e.Id));

        /// <summary>The token's id, or -1 when it is not in the vocabulary.</summary>
        public int Find(ReadOnlySpan<char> token, uint hash)
        {
            for (var at = Slot(hash); ; at = (at + 1) & _mask)
            {
                ref readonly var entry = ref _entries[at];
                if (entry.Id < 0 || (entry.Hash == hash && token.SequenceEqual(entry.Token)))
                {
                    return entry.Id;
                }
            }
        }

        private int Slot(uint hash) => (int)((hash * 0x9E3779B1u) >> _shift);

        private readonly record struct Entry(uint Hash, int Id, string Token);
    }

    /// <summary>Bigram key → feature in one open-addressed array; same reason as <see cref="TokenTable"/>.</summary>
    private sealed class BigramTable
    {
        private const long Empty = -1; // no key: token ids are never negative
        private readonly Entry[] _entries;
        private readonly int _shift;

        public BigramTable(Dictionary<long, int> features)
        {
            _entries = new Entry[TableSize(features.Count)];
            _shift = 64 - System.Numerics.BitOperations.Log2((uint)_entries.Length);
            Array.Fill(_entries, new Entry(Empty, -1));
            foreach (var (key, feature) in features)
            {
                var at = Slot(key);
                while (_entries[at].Key != Empty)
                {
                    at = (at + 1) & (_entries.Length - 1);
                }

                _entries[at] = new Entry(key, feature);
            }
        }

        /// <summary>Every bigram key and its feature, in table order (for saving).</summary>
        public IEnumerable<(long Key, int Feature)> Entries =>
            _entries.Where(e => e.Key != Empty).Select(e => (e.Key, e.Feature));

        /// <summary>The bigram's feature, or -1 when it is not in the vocabulary.</summary>
        public int Find(long key)
        {
            for (var at = Slot(key); ; at = (at + 1) & (_entries.Length - 1))
            {
                ref readonly var entry = ref _entries[at];
                if (entry.Key == key || entry.Key == Empty)
                {
                    return entry.Feature;
                }
            }
        }

        private int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

        private readonly record struct Entry(long Key, int Feature);
    }

    /// <summary>A power of two at least twice the count: open addressing stays fast at half load.</summary>
    private static int TableSize(int count) =>
        (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));

    /// <summary>long's own hash XORs its halves, so every pair (a, b) with the same a ^ b would collide; this one mixes.</summary>
    private sealed class MixedKey : IEqualityComparer<long>
    {
        public static readonly MixedKey Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }

    private struct Count
    {
        public int Df;
        public int Order;
    }

    private static long UnigramKey(int id) => ((long)id << 32) | 0xFFFFFFFFL;

    private static long BigramKey(int first, int second) => ((long)first << 32) | (uint)second;

    /// <summary>Per-thread buffers, so featurizing allocates nothing once warm.</summary>
    public sealed class Scratch
    {
        private float[] _weights = [];
        private ulong[] _marks = [];

        internal List<int> Slots { get; } = new(1024);

        internal char[] Chars { get; } = new char[MaxTokenLength];

        /// <summary>All zero between calls: Featurize clears what it set.</summary>
        internal float[] Weights(int length) => _weights.Length >= length ? _weights : _weights = new float[length];

        internal ulong[] Marks(int length) =>
            _marks.Length >= (length + 63) / 64 ? _marks : _marks = new ulong[(length + 63) / 64];
    }

    /// <summary>The tokens of a text, lower-cased into a reused buffer; HTML tags and apostrophes are skipped.</summary>
    private ref struct TokenScanner(string text, char[] buffer)
    {
        /// <summary>ASCII letters and digits lower-cased; everything else 0 (a separator).</summary>
        private static readonly char[] Ascii =
        [
            .. Enumerable
                .Range(0, 128)
                .Select(c => char.IsAsciiLetterOrDigit((char)c) ? char.ToLowerInvariant((char)c) : '\0'),
        ];

        private readonly string _text = text;
        private readonly char[] _buffer = buffer;
        private int _position;
        private int _length;

        public readonly TokenScanner GetEnumerator() => this;

        public readonly ReadOnlySpan<char> Current => _buffer.AsSpan(0, _length);

        /// <summary>The current token's <see cref="TokenHash"/>, computed while scanning it.</summary>
        public uint Hash { get; private set; }

        public bool MoveNext()
        {
            _length = 0;
            var hash = TokenHash.Seed;
            while (_position < _text.Length)
            {
                var c = _text[_position];
                if (c == '<' && TagEnd() is var end and > 0)
                {
                    _position = end;
                    if (_length > 0)
                    {
                        break;
                    }

                    continue;
                }

                _position++;
                var lower =
                    c < 128 ? Ascii[c]
                    : char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c)
                    : '\0';
                if (lower != '\0')
                {
                    if (_length < _buffer.Length)
                    {
                        _buffer[_length++] = lower;
                        hash = TokenHash.Add(hash, lower);
                    }
                }
                else if (c is not ('\'' or '\u2019') && _length > 0)
                {
                    break;
                }
            }

            Hash = hash;
            return _length > 0;
        }

        /// <summary>Where a tag like <c>&lt;br /&gt;</c> that starts here ends (after its '&gt;'), or 0 when this is no tag.</summary>
        private readonly int TagEnd()
        {
            var i = _position + 1;
            while (i < _text.Length && (_text[i] == ' ' || _text[i] == '/'))
            {
                i++;
            }

            if (i >= _text.Length || !char.IsAsciiLetter(_text[i]))
            {
                return 0;
            }

            var limit = Math.Min(_text.Length, i + 40);
            for (; i < limit; i++)
            {
                if (_text[i] == '>')
                {
                    return i + 1;
                }
            }

            return 0;
        }
    }
}
