using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace Sentiment.Model;

/// <summary>How review text becomes a vector: which n-grams, whether negation is marked, how features are weighted.</summary>
/// <param name="Ngram">Word n-grams up to this length: 1, 2 or 3.</param>
/// <param name="Negation">Mark the words after a negator (not, never, no, n't …) up to the end of the clause.</param>
/// <param name="Weighting">TF-IDF (L2-normalized), or naive-Bayes log-count ratios on binary features (NBSVM).</param>
/// <param name="MinDf">An n-gram must appear in at least this many training reviews.</param>
/// <param name="MaxNgrams">At most this many n-grams (the most telling with naive-Bayes weighting, else the most frequent).</param>
/// <param name="Contrast">Give every word after a turn ("but", "however", "yet") in its sentence a second, emphasized feature.</param>
/// <param name="NbAlpha">The naive-Bayes ratios' smoothing: added to each n-gram's count per class (1 is Laplace's).</param>
public sealed record FeaturizerOptions(
    int Ngram = 2,
    bool Negation = false,
    FeatureWeighting Weighting = FeatureWeighting.TfIdf,
    int MinDf = 1,
    int MaxNgrams = 50_000,
    bool Contrast = false,
    double NbAlpha = 1
);

public enum FeatureWeighting
{
    /// <summary>Term frequency × inverse document frequency, the vector L2-normalized.</summary>
    TfIdf,

    /// <summary>
    /// Presence × the naive-Bayes log-count ratio log((p/|p|) / (q/|q|)) of the n-gram between positive and negative
    /// training reviews (Wang &amp; Manning 2012), not normalized: the weight already says how much an n-gram tells.
    /// </summary>
    NaiveBayes,
}

/// <summary>
/// Review text to a sparse vector of word n-gram features, in one pass over the characters with no string allocated
/// per token, so a prediction costs microseconds. Lower-cases, drops HTML tags (<c>&lt;br /&gt;</c>) and apostrophes,
/// splits on everything that is not a letter or digit. With negation marking, every word after a negator up to the
/// end of its clause (punctuation, a tag, or a contrast word such as "but") is a different word: "not good" makes
/// <c>!good</c>, which learns the opposite weight of <c>good</c>. A word is known by a 64-bit hash of its letters,
/// computed while scanning, so a lookup reads no string. The vocabulary and its weights are part of the model: they
/// travel inside <c>model.zip</c>. Immutable and thread-safe; each thread brings its own <see cref="Scratch"/>.
/// </summary>
public sealed class TextFeaturizer
{
    private const int MaxTokenLength = 64;
    private const string HeaderV1 = "sentiment-text-featurizer v1";
    private const string HeaderV2 = "sentiment-text-featurizer v2";
    private const char Marker = '!';
    private const char Emphasis = '^';
    private const int TokenBits = 21;

    /// <summary>The "no word" slot of an n-gram key; word ids stay below it.</summary>
    private const long None = (1L << TokenBits) - 1;

    private static readonly string[] Negators =
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "nowhere",
        "hardly",
        "barely",
        "scarcely",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "wont",
        "wouldnt",
        "couldnt",
        "shouldnt",
        "havent",
        "hasnt",
        "hadnt",
        "aint",
        "nt",
    ];

    /// <summary>Words that end a negation's scope.</summary>
    private static readonly string[] Contrasts = ["although", "though"];

    /// <summary>Words that end a negation's scope and turn the sentence: what follows them carries the verdict.</summary>
    private static readonly string[] Turns = ["but", "however", "yet"];

    private readonly TokenTable _tokenIds;
    private readonly string[] _tokenNames;
    private readonly int[] _unigramFeature;
    private readonly NgramTable _ngrams;
    private readonly float[] _weights;

    private TextFeaturizer(
        List<string> tokenNames,
        Dictionary<long, int> ngrams,
        float[] weights,
        FeaturizerOptions options
    )
    {
        _tokenNames = [.. tokenNames];
        // A word's own feature is one array read away; only pairs and triples need the table.
        _unigramFeature = new int[_tokenNames.Length];
        Array.Fill(_unigramFeature, -1);
        var combinations = new Dictionary<long, int>();
        var roles = new int[_tokenNames.Length];
        foreach (var (key, feature) in ngrams)
        {
            var (first, second, third) = (key & None, (key >> TokenBits) & None, key >> (2 * TokenBits));
            if (second == None)
            {
                _unigramFeature[first] = feature;
                continue;
            }

            combinations[key] = feature;
            if (third == None)
            {
                (roles[first], roles[second]) = (roles[first] | Role.FirstOfPair, roles[second] | Role.SecondOfPair);
            }
            else
            {
                roles[first] |= Role.FirstOfTriple;
                roles[second] |= Role.MiddleOfTriple;
                roles[third] |= Role.LastOfTriple;
            }
        }

        _tokenIds = new TokenTable(_tokenNames, roles);
        _ngrams = new NgramTable(combinations);
        _weights = weights;
        Options = options;
    }

    /// <summary>How many features a review becomes: the vector length the classifier is trained on.</summary>
    public int Length => _weights.Length;

    public FeaturizerOptions Options { get; }

    public int NgramLength => Options.Ngram;

    /// <summary>TF-IDF word 1–<paramref name="ngram"/>-grams, the <paramref name="maxNgrams"/> most frequent (the original featurizer).</summary>
    public static TextFeaturizer Fit(IReadOnlyList<string> texts, int ngram, int maxNgrams) =>
        Fit(texts, null, new FeaturizerOptions(ngram, MaxNgrams: maxNgrams));

    /// <summary>Learns the vocabulary (and, for naive-Bayes weighting, each n-gram's ratio) from the training texts.</summary>
    public static TextFeaturizer Fit(
        IReadOnlyList<string> texts,
        IReadOnlyList<bool>? labels,
        FeaturizerOptions options
    )
    {
        if (options.Ngram is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Ngram, "word n-grams of length 1, 2 or 3");
        }

        if (options.Weighting == FeatureWeighting.NaiveBayes && (labels is null || labels.Count != texts.Count))
        {
            throw new ArgumentException("naive-Bayes weighting needs one label per text", nameof(labels));
        }

        var (names, documents, emphasized) = Tokenize(texts, options);
        // Counting touches millions of n-grams at random: each core counts the keys of its own share, so the tables
        // never need a lock and their misses overlap.
        var partitions = Math.Clamp(Environment.ProcessorCount, 1, 8);
        var counts = new CountTable[partitions];
        Parallel.For(
            0,
            partitions,
            new ParallelOptions { MaxDegreeOfParallelism = partitions },
            partition =>
            {
                var table = new CountTable(texts.Count * 48 * options.Ngram / partitions);
                for (var doc = 0; doc < documents.Length; doc++)
                {
                    var words = documents[doc];
                    var positive = labels?[doc] == true;
                    for (var i = 0; i < words.Length; i++)
                    {
                        table.AddIfOwned(Key(words[i]), doc, positive, partition, partitions);
                        if (options.Ngram >= 2 && i > 0)
                        {
                            table.AddIfOwned(Key(words[i - 1], words[i]), doc, positive, partition, partitions);
                            if (options.Ngram >= 3 && i > 1)
                            {
                                table.AddIfOwned(
                                    Key(words[i - 2], words[i - 1], words[i]),
                                    doc,
                                    positive,
                                    partition,
                                    partitions
                                );
                            }
                        }
                    }

                    foreach (var word in emphasized[doc])
                    {
                        table.AddIfOwned(Key(word), doc, positive, partition, partitions);
                    }
                }

                counts[partition] = table;
            }
        );

        var selected = CountTable.Select(counts, texts.Count, options);
        var weights = Weights(selected, texts.Count, options);
        return Build(selected.Select((c, i) => (Words(c.Key, names), weights[i])), options);
    }

    /// <summary>Every text as its word ids (marked words included), the ids of its emphasized copies, and each id's word.</summary>
    private static (string[] Names, int[][] Documents, int[][] Emphasized) Tokenize(
        IReadOnlyList<string> texts,
        FeaturizerOptions options
    )
    {
        var ids = new Dictionary<ulong, int>();
        var names = new List<string>();
        int New(ulong hash, string name)
        {
            if (names.Count >= None)
            {
                throw new InvalidOperationException(
                    $"more than {None} distinct words; the vocabulary cannot hold them"
                );
            }

            ids.Add(hash, names.Count);
            names.Add(name);
            return names.Count - 1;
        }

        var documents = new int[texts.Count][];
        var emphasized = new int[texts.Count][];
        var scratch = new char[MaxTokenLength + 1];
        var words = new List<int>(1024);
        var turned = new List<int>();
        for (var doc = 0; doc < texts.Count; doc++)
        {
            words.Clear();
            turned.Clear();
            var tokens = new MarkedTokens(texts[doc], scratch, options.Negation, options.Contrast);
            while (tokens.MoveNext())
            {
                // A word's string is made only the first time it is seen.
                words.Add(ids.TryGetValue(tokens.Hash, out var id) ? id : New(tokens.Hash, tokens.Current.ToString()));
                if (tokens.Emphasized)
                {
                    turned.Add(
                        ids.TryGetValue(tokens.EmphasisHash, out var emphasis)
                            ? emphasis
                            : New(tokens.EmphasisHash, Emphasis + tokens.Current.ToString())
                    );
                }
            }

            documents[doc] = [.. words];
            emphasized[doc] = [.. turned];
        }

        return ([.. names], documents, emphasized);
    }

    private static float[] Weights(List<(long Key, Count Count)> selected, int documents, FeaturizerOptions options)
    {
        if (options.Weighting == FeatureWeighting.TfIdf)
        {
            return [.. selected.Select(c => (float)Math.Log((double)documents / c.Count.Df))];
        }

        // Smoothed presence counts per class (alpha added to each), each normalized over the selected vocabulary.
        var alpha = options.NbAlpha;
        double positives = 0,
            negatives = 0;
        foreach (var (_, count) in selected)
        {
            positives += alpha + count.Positive;
            negatives += alpha + (count.Df - count.Positive);
        }

        return
        [
            .. selected.Select(c =>
                (float)
                    Math.Log(
                        ((alpha + c.Count.Positive) / positives) / ((alpha + c.Count.Df - c.Count.Positive) / negatives)
                    )
            ),
        ];
    }

    /// <summary>The review as a sparse vector of <see cref="Length"/> slots; returns how many words it has (known or not).</summary>
    public int Featurize(string? text, Scratch scratch, ref VBuffer<float> features)
    {
        var slots = scratch.Slots;
        slots.Clear();
        int previous = -1,
            beforePrevious = -1,
            previousRoles = 0,
            beforePreviousRoles = 0,
            words = 0;
        var (pairs, triples) = (Options.Ngram >= 2, Options.Ngram >= 3);
        var tokens = new MarkedTokens(text ?? string.Empty, scratch.Chars, Options.Negation, Options.Contrast);
        while (tokens.MoveNext())
        {
            words++;
            if (tokens.Emphasized && _tokenIds.Find(tokens.EmphasisHash) is var emphasized and >= 0)
            {
                Add(slots, _unigramFeature[emphasized & None]);
            }

            // The table's answer carries the word's roles in the vocabulary's pairs and triples, so an n-gram that
            // cannot be in it (its first word starts none) costs no lookup.
            var found = _tokenIds.Find(tokens.Hash);
            var (id, roles) = found >= 0 ? (found & (int)None, found >> TokenBits) : (-1, 0);
            if (id >= 0)
            {
                Add(slots, _unigramFeature[id]);
                if (pairs && (previousRoles & Role.FirstOfPair) != 0 && (roles & Role.SecondOfPair) != 0)
                {
                    Add(slots, _ngrams.Find(Key(previous, id)));
                }

                if (
                    triples
                    && (beforePreviousRoles & Role.FirstOfTriple) != 0
                    && (previousRoles & Role.MiddleOfTriple) != 0
                    && (roles & Role.LastOfTriple) != 0
                )
                {
                    Add(slots, _ngrams.Find(Key(beforePrevious, previous, id)));
                }
            }

            (beforePrevious, previous) = (previous, id);
            (beforePreviousRoles, previousRoles) = (previousRoles, roles);
        }

        Collect(slots, scratch, ref features);
        return words;
    }

    /// <summary>Whether a text has any word at all (tags, punctuation and spaces are none).</summary>
    public static bool HasWords(string? text) =>
        new MarkedTokens(text ?? string.Empty, new char[MaxTokenLength + 1], false).MoveNext();

    private static void Add(List<int> slots, int slot)
    {
        if (slot >= 0)
        {
            slots.Add(slot);
        }
    }

    /// <summary>
    /// Sorted, distinct slots without a sort: a bitset marks which slots are set, and is then read in order. TF-IDF
    /// gathers the term frequencies in a dense array; presence needs none, so its weights are read in ascending order.
    /// </summary>
    private void Collect(List<int> slots, Scratch scratch, ref VBuffer<float> features)
    {
        var presence = Options.Weighting == FeatureWeighting.NaiveBayes;
        var values = presence ? null : scratch.Weights(Length);
        var marks = scratch.Marks(Length);
        var blocks = scratch.Blocks(Length);
        var distinct = 0;
        foreach (var slot in slots)
        {
            ref var mark = ref marks[slot >> 6];
            var bit = 1UL << (slot & 63);
            distinct += (mark & bit) == 0 ? 1 : 0;
            mark |= bit;
            blocks[slot >> 12] |= 1UL << ((slot >> 6) & 63);
            if (values is not null)
            {
                values[slot] += _weights[slot];
            }
        }

        var editor = VBufferEditor.Create(ref features, Length, distinct, requireIndicesOnDense: true);
        var n = 0;
        var norm = 0.0;
        // Only the mark words that hold a slot are read: a large vocabulary has thousands of them, a review fills a
        // few hundred.
        for (var block = 0; block < blocks.Length && n < distinct; block++)
        {
            var words = blocks[block];
            blocks[block] = 0;
            while (words != 0)
            {
                var word = (block << 6) + System.Numerics.BitOperations.TrailingZeroCount(words);
                words &= words - 1;
                var bits = marks[word];
                marks[word] = 0;
                while (bits != 0)
                {
                    var slot = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    editor.Indices[n] = slot;
                    if (values is null)
                    {
                        editor.Values[n] = _weights[slot];
                    }
                    else
                    {
                        editor.Values[n] = values[slot];
                        norm += values[slot] * values[slot];
                        values[slot] = 0;
                    }

                    n++;
                }
            }
        }

        if (values is not null && norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var i = 0; i < distinct; i++)
            {
                editor.Values[i] *= scale;
            }
        }

        features = editor.Commit();
    }

    /// <summary>
    /// A header with the options, then one n-gram a line in feature order: its weight, a tab, its words joined by a
    /// space (a marked word starts with '!').
    /// </summary>
    public void Save(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{HeaderV2}\tngram={Options.Ngram}\tnegation={(Options.Negation ? "true" : "false")}\tcontrast={(Options.Contrast ? "true" : "false")}\tweighting={Name(Options.Weighting)}\tfeatures={Length}"
            )
        );
        var names = new string[Length];
        for (var id = 0; id < _unigramFeature.Length; id++)
        {
            if (_unigramFeature[id] >= 0)
            {
                names[_unigramFeature[id]] = _tokenNames[id];
            }
        }

        foreach (var (key, feature) in _ngrams.Entries)
        {
            names[feature] = string.Join(' ', Words(key, _tokenNames));
        }

        for (var i = 0; i < Length; i++)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_weights[i]:R}\t{names[i]}"));
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, and the first version's vocabularies (TF-IDF, up to word pairs, no marks).</summary>
    public static TextFeaturizer Load(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var header = (reader.ReadLine()?.Split('\t') ?? []).ToList();
        var options = header switch
        {
            [HeaderV1, var ngram, _] when ngram.StartsWith("ngram=", StringComparison.Ordinal) => new FeaturizerOptions(
                int.Parse(ngram["ngram=".Length..], CultureInfo.InvariantCulture)
            ),
            [HeaderV2, ..] => ParseOptions(header),
            _ => throw new FormatException($"not a {HeaderV2} (or v1) vocabulary"),
        };

        var grams = new List<(string[] Words, float Weight)>();
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            grams.Add((line[(tab + 1)..].Split(' '), float.Parse(line.AsSpan(0, tab), CultureInfo.InvariantCulture)));
        }

        return Build(grams, options);
    }

    public static string Name(FeatureWeighting weighting) => weighting == FeatureWeighting.NaiveBayes ? "nb" : "tfidf";

    private static FeaturizerOptions ParseOptions(List<string> header)
    {
        var values = header
            .Skip(1)
            .Select(field => field.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        string Get(string key) =>
            values.TryGetValue(key, out var value)
                ? value
                : throw new FormatException($"vocabulary header has no {key}");
        return new FeaturizerOptions(
            int.Parse(Get("ngram"), CultureInfo.InvariantCulture),
            Get("negation") == "true",
            Get("weighting") switch
            {
                "tfidf" => FeatureWeighting.TfIdf,
                "nb" => FeatureWeighting.NaiveBayes,
                var other => throw new FormatException($"vocabulary header: unknown weighting '{other}'"),
            },
            Contrast: values.GetValueOrDefault("contrast") == "true"
        );
    }

    private static TextFeaturizer Build(IEnumerable<(string[] Words, float Weight)> grams, FeaturizerOptions options)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int Id(string token)
        {
            if (!ids.TryGetValue(token, out var id))
            {
                ids[token] = id = names.Count;
                names.Add(token);
            }

            return id;
        }

        var ngrams = new Dictionary<long, int>();
        var weights = new List<float>();
        foreach (var (words, weight) in grams)
        {
            var key = words.Length switch
            {
                1 => Key(Id(words[0])),
                2 => Key(Id(words[0]), Id(words[1])),
                3 => Key(Id(words[0]), Id(words[1]), Id(words[2])),
                _ => throw new FormatException($"'{string.Join(' ', words)}' is not a word n-gram of 1 to 3 words"),
            };
            ngrams[key] = weights.Count;
            weights.Add(weight);
        }

        return new TextFeaturizer(names, ngrams, [.. weights], options);
    }

    private static long Key(long first, long second = None, long third = None) =>
        first | (second << TokenBits) | (third << (2 * TokenBits));

    private static string[] Words(long key, string[] byId)
    {
        var second = (key >> TokenBits) & None;
        var third = (key >> (2 * TokenBits)) & None;
        var first = byId[(int)(key & None)];
        return second == None ? [first]
            : third == None ? [first, byId[(int)second]]
            : [first, byId[(int)second], byId[(int)third]];
    }

    /// <summary>A power of two at least twice the count: open addressing stays fast at half load.</summary>
    private static int TableSize(int count) =>
        (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));

    private static int Slot(ulong hash, int shift) => (int)((hash * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>
    /// 64-bit FNV-1a over a word's characters, computed by the scanner as it reads. A marked word's hash is a mix of
    /// its word's hash, so the scanner computes one hash per word either way. Two words sharing a 64-bit hash would
    /// share a feature; with a vocabulary of a few hundred thousand words that chance is about one in a billion.
    /// </summary>
    private static class TokenHash
    {
        public const ulong Seed = 14695981039346656037UL;

        public static ulong Add(ulong hash, char c) => (hash ^ c) * 1099511628211UL;

        public static ulong Mark(ulong hash) => (hash * 0x9E3779B97F4A7C15UL) + 0x632BE59BD9B4E019UL;

        public static ulong Emphasize(ulong hash) => (hash * 0xBF58476D1CE4E5B9UL) + 0x94D049BB133111EBUL;

        /// <summary>The hash of a vocabulary word as written: '^' for emphasized, then '!' for marked, then the letters.</summary>
        public static ulong Of(string token)
        {
            if (token.Length > 1 && token[0] == Emphasis)
            {
                return Emphasize(Of(token[1..]));
            }

            var marked = token.Length > 1 && token[0] == Marker;
            var hash = Seed;
            foreach (var c in marked ? token.AsSpan(1) : token)
            {
                hash = Add(hash, c);
            }

            return marked ? Mark(hash) : hash;
        }
    }

    /// <summary>
    /// The negators and contrast words, found by the word's hash (a set lookup by string per word cost a third of
    /// featurizing).
    /// </summary>
    private static class SpecialWords
    {
        public const byte Other = 0;
        public const byte Negator = 1;
        public const byte Contrast = 2;
        public const byte Turn = 3;
        private const int Bits = 10;
        private const int Size = 1 << Bits;
        private static readonly ulong[] Hashes = new ulong[Size];
        private static readonly byte[] Kinds = Create();

        /// <summary>
        /// Every word of every review is checked, so this is one read of an 8 KiB array that almost always finds an
        /// empty slot. A word is known by its 64-bit hash here as everywhere in the featurizer.
        /// </summary>
        public static byte Kind(ulong hash)
        {
            for (var at = (int)(hash >> (64 - Bits)); ; at = (at + 1) & (Size - 1))
            {
                var stored = Hashes[at];
                if (stored == hash)
                {
                    return Kinds[at];
                }

                if (stored == 0)
                {
                    return Other;
                }
            }
        }

        private static byte[] Create()
        {
            var kinds = new byte[Size];
            foreach (var (words, kind) in new[] { (Negators, Negator), (Contrasts, Contrast), (Turns, Turn) })
            {
                foreach (var word in words)
                {
                    var hash = TokenHash.Of(word);
                    var at = (int)(hash >> (64 - Bits));
                    while (Hashes[at] != 0)
                    {
                        at = (at + 1) & (Size - 1);
                    }

                    (Hashes[at], kinds[at]) = (hash, kind);
                }
            }

            return kinds;
        }
    }

    /// <summary>The parts a word plays in the vocabulary's pairs and triples, as bits beside its id.</summary>
    private static class Role
    {
        public const int FirstOfPair = 1;
        public const int SecondOfPair = 2;
        public const int FirstOfTriple = 4;
        public const int MiddleOfTriple = 8;
        public const int LastOfTriple = 16;
    }

    /// <summary>
    /// Word hash → id in one open-addressed array of (check, id) pairs, 8 bytes each so the table of a large vocabulary
    /// stays in the cache: a prediction looks up every word of the review, and reading no string makes that one memory
    /// access. The slot comes from the hash's high bits and the 32-bit check from all of it, so an unknown word passes
    /// for a known one about once in four billion lookups, the same order as two words sharing a 64-bit hash.
    /// </summary>
    private sealed class TokenTable
    {
        private readonly Entry[] _entries;
        private readonly int _mask;
        private readonly int _shift;

        /// <param name="roles">Each word's <see cref="Role"/> bits, returned with its id: <c>id | roles &lt;&lt; 21</c>.</param>
        public TokenTable(string[] tokens, int[] roles)
        {
            // Filled up to three quarters: every word of a review is looked up, so a table that stays in the core's
            // cache matters more than a shorter probe.
            _entries = new Entry[
                (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, tokens.Length * 4 / 3))
            ];
            _mask = _entries.Length - 1;
            _shift = 64 - System.Numerics.BitOperations.Log2((uint)_entries.Length);
            Array.Fill(_entries, new Entry(0, -1));
            for (var id = 0; id < tokens.Length; id++)
            {
                var hash = TokenHash.Of(tokens[id]);
                var at = Slot(hash, _shift);
                while (_entries[at].Id >= 0)
                {
                    at = (at + 1) & _mask;
                }

                _entries[at] = new Entry(Check(hash), id | (roles[id] << TokenBits));
            }
        }

        /// <summary>The word's id with its roles above it, or -1 when it is not in the vocabulary.</summary>
        public int Find(ulong hash)
        {
            var check = Check(hash);
            for (var at = Slot(hash, _shift); ; at = (at + 1) & _mask)
            {
                var entry = _entries[at];
                if (entry.Id < 0 || entry.Check == check)
                {
                    return entry.Id;
                }
            }
        }

        private static uint Check(ulong hash) => (uint)(hash ^ (hash >> 32));

        private readonly record struct Entry(uint Check, int Id);
    }

    /// <summary>
    /// Word pair and triple key → feature in one open-addressed array, behind a bit filter small enough to stay in the
    /// cache: most pairs and triples of a review are not in the vocabulary, and the filter answers those without a
    /// trip to main memory.
    /// </summary>
    private sealed class NgramTable
    {
        private readonly Entry[] _entries;
        private readonly int _shift;
        private readonly ulong[] _filter;
        private readonly int _filterShift;
        private readonly long[] _keys;
        private readonly int[] _features;

        public NgramTable(Dictionary<long, int> features)
        {
            _entries = new Entry[TableSize(features.Count)];
            _shift = 64 - System.Numerics.BitOperations.Log2((uint)_entries.Length);
            Array.Fill(_entries, new Entry(0, -1));
            // About 16 bits a key (a false positive in 16), and at most 1 MiB.
            var bits = (int)
                Math.Min(
                    1 << 23,
                    System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, features.Count * 16))
                );
            _filter = new ulong[bits / 64];
            _filterShift = 64 - System.Numerics.BitOperations.Log2((uint)bits);
            (_keys, _features) = ([.. features.Keys], [.. features.Values]);
            foreach (var (key, feature) in features)
            {
                var mixed = Mix(key);
                var at = (int)(mixed >> _shift);
                while (_entries[at].Feature >= 0)
                {
                    at = (at + 1) & (_entries.Length - 1);
                }

                _entries[at] = new Entry((uint)mixed, feature);
                var bit = FilterBit(key);
                _filter[bit >> 6] |= 1UL << (bit & 63);
            }
        }

        /// <summary>Every key and its feature (for saving).</summary>
        public IEnumerable<(long Key, int Feature)> Entries => _keys.Zip(_features);

        /// <summary>
        /// The n-gram's feature, or -1 when it is not in the vocabulary. The table keeps a 32-bit check of each key,
        /// not the key (8 bytes an entry, so 100,000 n-grams take 2 MiB); behind the filter, an n-gram outside the
        /// vocabulary passes for one inside about once in four billion lookups.
        /// </summary>
        public int Find(long key)
        {
            var bit = FilterBit(key);
            if ((_filter[bit >> 6] & (1UL << (bit & 63))) == 0)
            {
                return -1;
            }

            var mixed = Mix(key);
            var check = (uint)mixed;
            for (var at = (int)(mixed >> _shift); ; at = (at + 1) & (_entries.Length - 1))
            {
                var entry = _entries[at];
                if (entry.Feature < 0 || entry.Check == check)
                {
                    return entry.Feature;
                }
            }
        }

        /// <summary>SplitMix64's finalizer: every bit of the key reaches both the slot (high bits) and the check (low).</summary>
        private static ulong Mix(long key)
        {
            var x = (ulong)key;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }

        private int FilterBit(long key) => (int)(((ulong)key * 0xC2B2AE3D27D4EB4FUL) >> _filterShift);

        private readonly record struct Entry(uint Check, int Feature);
    }

    private struct Count
    {
        public int Df;
        public int Positive;
        public int FirstDocument;
        public int LastDocument;
    }

    /// <summary>
    /// Document frequencies of every n-gram of the training texts, in one open-addressed table (key and counts side by
    /// side): a vocabulary with word triples has millions of distinct n-grams, counted once per review each.
    /// </summary>
    private sealed class CountTable(int capacity)
    {
        private long[] _keys = Filled(TableSize(capacity));
        private Count[] _counts = new Count[TableSize(capacity)];
        private int _shift = Shift(TableSize(capacity));

        public int Count { get; private set; }

        /// <summary>Counts the key when it belongs to this partition (by its hash).</summary>
        public void AddIfOwned(long key, int document, bool positive, int partition, int partitions)
        {
            if (partitions == 1 || (int)(((ulong)key * 0xD6E8FEB86659FD93UL) >> 61) % partitions == partition)
            {
                Add(key, document, positive);
            }
        }

        public void Add(long key, int document, bool positive)
        {
            var mask = _keys.Length - 1;
            var at = Slot((ulong)key, _shift);
            while (_keys[at] != key)
            {
                if (_keys[at] == -1)
                {
                    if ((Count + 1) * 2 > _keys.Length)
                    {
                        Grow();
                        Add(key, document, positive);
                        return;
                    }

                    _keys[at] = key;
                    _counts[at] = new Count { FirstDocument = document, LastDocument = -1 };
                    Count++;
                    break;
                }

                at = (at + 1) & mask;
            }

            ref var count = ref _counts[at];
            if (count.LastDocument != document)
            {
                count.LastDocument = document;
                count.Df++;
                count.Positive += positive ? 1 : 0;
            }
        }

        /// <summary>
        /// The n-grams of all partitions at or above the document-frequency floor, the most frequent first; ties go to
        /// the n-gram seen in an earlier review, then to the smaller key, so the vocabulary never depends on the cores.
        /// </summary>
        public static List<(long Key, Count Count)> Select(
            CountTable[] tables,
            int documents,
            FeaturizerOptions options
        )
        {
            var histogram = new int[documents + 2];
            foreach (var table in tables)
            {
                for (var i = 0; i < table._keys.Length; i++)
                {
                    if (table._keys[i] != -1)
                    {
                        histogram[table._counts[i].Df]++;
                    }
                }
            }

            var floor = Math.Max(1, options.MinDf);
            var cutoff = documents + 1;
            if (options.Weighting == FeatureWeighting.TfIdf)
            {
                for (var above = 0; cutoff > floor && above < options.MaxNgrams; )
                {
                    above += histogram[--cutoff];
                }
            }
            else
            {
                cutoff = floor; // every candidate competes on how much it tells, below
            }

            var selected = new List<(long Key, Count Count)>();
            foreach (var table in tables)
            {
                for (var i = 0; i < table._keys.Length; i++)
                {
                    if (table._keys[i] != -1 && table._counts[i].Df >= Math.Max(cutoff, floor))
                    {
                        selected.Add((table._keys[i], table._counts[i]));
                    }
                }
            }

            Comparison<(long Key, Count Count)> byFrequency = (a, b) =>
                a.Count.Df != b.Count.Df ? b.Count.Df.CompareTo(a.Count.Df)
                : a.Count.FirstDocument != b.Count.FirstDocument
                    ? a.Count.FirstDocument.CompareTo(b.Count.FirstDocument)
                : a.Key.CompareTo(b.Key);
            if (options.Weighting == FeatureWeighting.NaiveBayes && selected.Count > options.MaxNgrams)
            {
                // Keep the n-grams that tell the classes apart most, weighted by how often they occur: |log-count
                // ratio| × √df. The most frequent n-grams are often the least telling ("the movie", "of the").
                var score = Informativeness(selected);
                var order = Enumerable.Range(0, selected.Count).ToArray();
                Array.Sort(
                    order,
                    (a, b) =>
                        score[a] != score[b] ? score[b].CompareTo(score[a]) : byFrequency(selected[a], selected[b])
                );
                selected = [.. order.Take(options.MaxNgrams).Select(i => selected[i])];
            }

            selected.Sort(byFrequency);
            if (selected.Count > options.MaxNgrams)
            {
                selected.RemoveRange(options.MaxNgrams, selected.Count - options.MaxNgrams);
            }

            return selected;
        }

        /// <summary>Each candidate's |log-count ratio| × √df, negated (so an ascending sort puts the most telling first).</summary>
        private static double[] Informativeness(List<(long Key, Count Count)> candidates)
        {
            double positives = 0,
                negatives = 0;
            foreach (var (_, count) in candidates)
            {
                positives += 1 + count.Positive;
                negatives += 1 + (count.Df - count.Positive);
            }

            return
            [
                .. candidates.Select(c =>
                    Math.Abs(
                        Math.Log(
                            ((1.0 + c.Count.Positive) / positives) / ((1.0 + c.Count.Df - c.Count.Positive) / negatives)
                        )
                    ) * Math.Sqrt(c.Count.Df)
                ),
            ];
        }

        private void Grow()
        {
            var (keys, counts) = (_keys, _counts);
            _keys = Filled(keys.Length * 2);
            _counts = new Count[keys.Length * 2];
            _shift = Shift(_keys.Length);
            var mask = _keys.Length - 1;
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] == -1)
                {
                    continue;
                }

                var at = Slot((ulong)keys[i], _shift);
                while (_keys[at] != -1)
                {
                    at = (at + 1) & mask;
                }

                _keys[at] = keys[i];
                _counts[at] = counts[i];
            }
        }

        private static long[] Filled(int length)
        {
            var keys = new long[length];
            Array.Fill(keys, -1);
            return keys;
        }

        private static int Shift(int length) => 64 - System.Numerics.BitOperations.Log2((uint)length);
    }

    /// <summary>Per-thread buffers, so featurizing allocates nothing once warm.</summary>
    public sealed class Scratch
    {
        private float[] _weights = [];
        private ulong[] _marks = [];
        private ulong[] _blocks = [];

        internal List<int> Slots { get; } = new(1024);

        internal char[] Chars { get; } = new char[MaxTokenLength + 1];

        /// <summary>All zero between calls: Featurize clears what it set.</summary>
        internal float[] Weights(int length) => _weights.Length >= length ? _weights : _weights = new float[length];

        internal ulong[] Marks(int length) =>
            _marks.Length >= (length + 63) / 64 ? _marks : _marks = new ulong[(length + 63) / 64];

        /// <summary>One bit per word of <see cref="Marks"/>: which words hold a mark. All zero between calls.</summary>
        internal ulong[] Blocks(int length) =>
            _blocks.Length >= (length + 4095) / 4096 ? _blocks : _blocks = new ulong[(length + 4095) / 4096];
    }

    /// <summary>
    /// The words of a text with negation marked: after a negator, each word until the clause ends (punctuation, a tag,
    /// or a contrast word) is read with a leading '!'.
    /// </summary>
    private ref struct MarkedTokens(string text, char[] buffer, bool negation, bool contrast = false)
    {
        private TokenScanner _scanner = new(text, buffer);
        private bool _negated;
        private bool _marked;
        private bool _turned;

        public readonly ReadOnlySpan<char> Current => _marked ? _scanner.Marked : _scanner.Current;

        public readonly ulong Hash => _marked ? TokenHash.Mark(_scanner.Hash) : _scanner.Hash;

        /// <summary>Whether the word follows a turn ("but", "however", "yet") in its sentence: the part that carries the verdict.</summary>
        public bool Emphasized { get; private set; }

        /// <summary>The hash of the emphasized copy of the current word (<c>^word</c>).</summary>
        public readonly ulong EmphasisHash => TokenHash.Emphasize(Hash);

        public bool MoveNext()
        {
            if (!_scanner.MoveNext())
            {
                return false;
            }

            if (!negation && !contrast)
            {
                return true;
            }

            var kind = SpecialWords.Kind(_scanner.Hash);
            if (_scanner.Break != TokenScanner.NoBreak || kind is SpecialWords.Contrast or SpecialWords.Turn)
            {
                _negated = false;
            }

            if (_scanner.Break == TokenScanner.SentenceBreak)
            {
                _turned = false;
            }

            _marked = negation && _negated;
            Emphasized = contrast && _turned;
            _negated |= kind == SpecialWords.Negator;
            _turned |= kind == SpecialWords.Turn;
            return true;
        }
    }

    /// <summary>The words of a text, lower-cased into a reused buffer; HTML tags and apostrophes are skipped.</summary>
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
        private byte _pendingBreak;

        /// <summary>The current word (without the mark).</summary>
        public readonly ReadOnlySpan<char> Current => _buffer.AsSpan(1, _length);

        /// <summary>The current word with the negation mark in front (the buffer's first character).</summary>
        public readonly ReadOnlySpan<char> Marked => _buffer.AsSpan(0, _length + 1);

        /// <summary>The current word's <see cref="TokenHash"/>, computed while scanning it.</summary>
        public ulong Hash { get; private set; }

        public const byte NoBreak = 0;
        public const byte ClauseBreak = 1;
        public const byte SentenceBreak = 2;

        /// <summary>What ended between the previous word and this one: nothing, a clause (, ; :) or a sentence (. ! ? a tag).</summary>
        public byte Break { get; private set; }

        public bool MoveNext()
        {
            var text = _text;
            var buffer = _buffer.AsSpan(0, MaxTokenLength + 1);
            var ascii = Ascii;
            var position = _position;
            var length = 0;
            var hash = TokenHash.Seed;
            var breaks = _pendingBreak;
            _pendingBreak = NoBreak;
            while ((uint)position < (uint)text.Length)
            {
                var c = text[position];
                if (c == '<' && TagEnd(text, position) is var end and > 0)
                {
                    position = end;
                    if (length > 0)
                    {
                        _pendingBreak = SentenceBreak;
                        break;
                    }

                    breaks = SentenceBreak;
                    continue;
                }

                position++;
                var lower =
                    c < 128 ? ascii[c]
                    : char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c)
                    : '\0';
                if (lower != '\0')
                {
                    if (length < MaxTokenLength)
                    {
                        buffer[++length] = lower;
                        hash = TokenHash.Add(hash, lower);
                    }
                }
                else if (c is not ('\'' or '\u2019'))
                {
                    var ends =
                        c is '.' or '!' or '?' or '\n' ? SentenceBreak
                        : c is ',' or ';' or ':' ? ClauseBreak
                        : NoBreak;
                    if (length > 0)
                    {
                        _pendingBreak = ends; // the clause ends before the next word
                        break;
                    }

                    breaks = (byte)Math.Max(breaks, ends);
                }
            }

            buffer[0] = Marker;
            _position = position;
            _length = length;
            Hash = hash;
            Break = breaks;
            return length > 0;
        }

        /// <summary>Where a tag like <c>&lt;br /&gt;</c> that starts at <paramref name="at"/> ends (after its '&gt;'), or 0 when this is no tag.</summary>
        private static int TagEnd(string text, int at)
        {
            var i = at + 1;
            while (i < text.Length && (text[i] == ' ' || text[i] == '/'))
            {
                i++;
            }

            if (i >= text.Length || !char.IsAsciiLetter(text[i]))
            {
                return 0;
            }

            var limit = Math.Min(text.Length, i + 40);
            for (; i < limit; i++)
            {
                if (text[i] == '>')
                {
                    return i + 1;
                }
            }

            return 0;
        }
    }
}
