using Microsoft.ML.Data;

namespace Sentiment.Model.Tests;

public sealed class TextFeaturizerTests
{
    private static readonly string[] Corpus =
    [
        "A great movie. Great cast!",
        "Not great, not terrible.<br /><br />Don't bother.",
        "The WORST movie I've seen; a terrible cast.",
        "great acting and a great story",
    ];

    private static (int[] Indices, float[] Values) Vector(TextFeaturizer featurizer, string text)
    {
        var features = default(VBuffer<float>);
        featurizer.Featurize(text, new TextFeaturizer.Scratch(), ref features);
        features.Length.ShouldBe(featurizer.Length);
        return (features.GetIndices().ToArray(), features.GetValues().ToArray());
    }

    [Fact]
    public void Featurize_SameWordsAnyCaseTagsAndPunctuation_GiveTheSameVector()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, ngram: 2, maxNgrams: 1000);

        var plain = Vector(featurizer, "dont bother great cast");
        var noisy = Vector(featurizer, "Don't <br />BOTHER... \"Great\"<br/>cast!");

        noisy.Indices.ShouldBe(plain.Indices);
        noisy.Values.ShouldBe(plain.Values);
    }

    [Fact]
    public void Featurize_AnyText_IsL2NormalizedAndSparse()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, ngram: 2, maxNgrams: 1000);

        var (indices, values) = Vector(featurizer, "a terrible, terrible movie with a great cast and a story");

        Math.Sqrt(values.Sum(v => (double)v * v)).ShouldBe(1, 1e-5);
        indices.ShouldBe(indices.Order().Distinct().ToArray());
    }

    [Fact]
    public void Featurize_UnknownWordsOnly_IsTheZeroVector()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, ngram: 2, maxNgrams: 1000);

        Vector(featurizer, "zzz qqq").Indices.ShouldBeEmpty();
        Vector(featurizer, string.Empty).Indices.ShouldBeEmpty();
    }

    [Fact]
    public void Featurize_WordPairs_CountOnlyWhenAdjacent()
    {
        var unigrams = TextFeaturizer.Fit(Corpus, ngram: 1, maxNgrams: 1000);
        var bigrams = TextFeaturizer.Fit(Corpus, ngram: 2, maxNgrams: 1000);

        Vector(bigrams, "great cast").Indices.Length.ShouldBe(3); // great, cast, "great cast"
        Vector(bigrams, "cast great").Indices.Length.ShouldBe(2); // never seen in that order
        Vector(unigrams, "great cast").Indices.Length.ShouldBe(2);
    }

    [Fact]
    public void Fit_MaxNgrams_KeepsTheMostFrequent()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, ngram: 2, maxNgrams: 3);

        featurizer.Length.ShouldBe(3);
        Vector(featurizer, "great").Indices.ShouldHaveSingleItem(); // in three of the four reviews
        Vector(featurizer, "worst").Indices.ShouldBeEmpty(); // in one
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesTheSameVectors()
    {
        var featurizer = TextFeaturizer.Fit(Corpus, ngram: 2, maxNgrams: 1000);
        using var stream = new MemoryStream();
        featurizer.Save(stream);
        stream.Position = 0;

        var loaded = TextFeaturizer.Load(stream);

        loaded.Length.ShouldBe(featurizer.Length);
        foreach (var text in Corpus)
        {
            var (indices, values) = Vector(loaded, text);
            indices.ShouldBe(Vector(featurizer, text).Indices);
            values.ShouldBe(Vector(featurizer, text).Values);
        }
    }

    [Fact]
    public void Featurize_LargeVocabulary_FindsEveryNgramAtItsSavedFeature()
    {
        // Thousands of tokens and pairs: the lookup tables probe past collisions, and every n-gram must still be found.
        var corpus = Enumerable.Range(0, 3000).Select(i => $"w{i} w{(i * 7) % 3000} x{i % 97}").ToList();
        var featurizer = TextFeaturizer.Fit(corpus, ngram: 2, maxNgrams: 20_000);
        using var stream = new MemoryStream();
        featurizer.Save(stream);
        var names = System
            .Text.Encoding.UTF8.GetString(stream.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(line => line[(line.IndexOf('\t') + 1)..])
            .ToList();

        names.Count.ShouldBeGreaterThan(5000);
        for (var feature = 0; feature < names.Count; feature++)
        {
            Vector(featurizer, names[feature]).Indices.ShouldContain(feature, names[feature]);
        }
    }

    [Fact]
    public void Load_NotAVocabulary_IsAFormatError() =>
        Should.Throw<FormatException>(() => TextFeaturizer.Load(new MemoryStream("hello\n"u8.ToArray())));

    private static readonly string[] Reviews =
    [
        "a good film",
        "good acting and a good story",
        "not good at all",
        "the film is bad",
        "bad acting, not good",
        "it is never bad, it is good",
        "a slow start but a good ending",
        "a good cast but a bad script",
    ];

    private static readonly bool[] Labels = [true, true, false, false, false, true, true, false];

    private static TextFeaturizer Marked(int ngram = 1) =>
        TextFeaturizer.Fit(
            Reviews,
            Labels,
            new FeaturizerOptions(ngram, Negation: true, FeatureWeighting.NaiveBayes, Contrast: true)
        );

    /// <summary>The feature of <paramref name="word"/> after "not": the vector of "not word" less the word "not".</summary>
    private static int MarkedIndex(TextFeaturizer featurizer, string word) =>
        Vector(featurizer, "not " + word).Indices.Except(Vector(featurizer, "not").Indices).Single();

    private static float Weight(TextFeaturizer featurizer, int index)
    {
        var (indices, values) = Vector(featurizer, "not good, never bad, not bad, good, bad");
        return values[Array.IndexOf(indices, index)];
    }

    [Fact]
    public void Featurize_WordAfterANegator_IsADifferentFeatureUntilTheClauseEnds()
    {
        var featurizer = Marked();

        var good = Vector(featurizer, "good").Indices.Single();
        var markedGood = MarkedIndex(featurizer, "good");

        markedGood.ShouldNotBe(good);
        Vector(featurizer, "not at all, good").Indices.ShouldContain(good, "a comma ends the negation's scope");
        Vector(featurizer, "isn't good").Indices.ShouldBe([markedGood], "n't negates like not");
    }

    [Fact]
    public void Fit_NaiveBayes_WeightsCarryTheSignOfTheClassAWordBelongsTo()
    {
        var featurizer = Marked();

        Vector(featurizer, "good").Values.Single().ShouldBeGreaterThan(0);
        Vector(featurizer, "bad").Values.Single().ShouldBeLessThan(0);
        Weight(featurizer, MarkedIndex(featurizer, "good"))
            .ShouldBeLessThan(0, "!good only occurs in negative reviews");
        Weight(featurizer, MarkedIndex(featurizer, "bad")).ShouldBeGreaterThan(0, "!bad only occurs in positive ones");
    }

    [Fact]
    public void Featurize_WordsAfterATurn_AlsoGetTheirEmphasizedFeature()
    {
        var featurizer = Marked();

        Vector(featurizer, "a slow start but a good ending")
            .Indices.Length.ShouldBeGreaterThan(Vector(featurizer, "a slow start a good ending").Indices.Length);
    }

    [Fact]
    public void SaveLoad_MarkedNaiveBayesTrigrams_RoundTrip()
    {
        var featurizer = Marked(ngram: 3);
        using var stream = new MemoryStream();
        featurizer.Save(stream);
        stream.Position = 0;

        var loaded = TextFeaturizer.Load(stream);

        loaded.Options.ShouldBe(featurizer.Options);
        foreach (var review in Reviews)
        {
            Vector(loaded, review).Indices.ShouldBe(Vector(featurizer, review).Indices);
            Vector(loaded, review).Values.ShouldBe(Vector(featurizer, review).Values);
        }
    }
}
