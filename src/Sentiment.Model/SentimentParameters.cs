using Pipeline.Training;

namespace Sentiment.Model;

/// <summary>The sentiment trainer's hyper-parameters, read and validated from <see cref="TrainingConfig"/>.</summary>
public sealed record SentimentParameters(
    string Trainer,
    string Featurizer,
    int Seed,
    double TestFraction,
    float L2,
    int WordNgram,
    int MaxNgrams,
    bool Negation,
    FeatureWeighting Weighting,
    int MinDf,
    int Iterations,
    double MaxMalformedShare,
    int SmokeRows,
    int Threads,
    int Folds = 1,
    int Fold = 0,
    string SplitGroup = "",
    bool Contrast = true,
    double NbAlpha = 0.25
)
{
    public static readonly string[] Trainers = ["lbfgs", "sdca", "averaged_perceptron"];

    /// <summary><c>text</c>: our <see cref="TextFeaturizer"/> (fast); <c>mlnet</c>: ML.NET's FeaturizeText, inside the saved model.</summary>
    public static readonly string[] Featurizers = ["text", "mlnet"];

    public static readonly string[] Known =
    [
        "trainer",
        "featurizer",
        "seed",
        "test_fraction",
        "l2",
        "ngram",
        "max_ngrams",
        "negation",
        "weighting",
        "min_df",
        "iterations",
        "max_malformed_share",
        "smoke_rows",
        "threads",
        "folds",
        "fold",
        "split_group",
        "contrast",
        "nb_alpha",
    ];

    public static SentimentParameters From(TrainingConfig config)
    {
        config.RejectUnknown(Known);
        var trainer = config.GetString("trainer", "lbfgs");
        // Each trainer scales regularization differently, so each has its own defaults (tuned on IMDB).
        var (l2, iterations) = trainer switch
        {
            "sdca" => (1e-5, 30),
            "averaged_perceptron" => (0.0, 10),
            _ => (2.0, 10),
        };
        var parameters = new SentimentParameters(
            trainer,
            config.GetString("featurizer", "text"),
            config.GetInt("seed", 1),
            config.GetDouble("test_fraction", 0.2),
            (float)config.GetDouble("l2", l2),
            config.GetInt("ngram", 3),
            config.GetInt("max_ngrams", 100_000),
            Bool(config, "negation", true),
            config.GetString("weighting", "nb") switch
            {
                "nb" => FeatureWeighting.NaiveBayes,
                "tfidf" => FeatureWeighting.TfIdf,
                var other => throw new TrainingDataException($"param 'weighting': '{other}' is not nb or tfidf."),
            },
            config.GetInt("min_df", 2),
            config.GetInt("iterations", iterations),
            config.GetDouble("max_malformed_share", 0.01),
            config.GetInt("smoke_rows", 300),
            config.GetInt("threads", 1),
            config.GetInt("folds", 1),
            config.GetInt("fold", 0),
            config.GetString("split_group", string.Empty),
            Bool(config, "contrast", true),
            config.GetDouble("nb_alpha", 0.25)
        );
        Require(
            Featurizers.Contains(parameters.Featurizer),
            $"param 'featurizer': '{parameters.Featurizer}' is not one of {string.Join(", ", Featurizers)}."
        );
        Require(
            Trainers.Contains(parameters.Trainer),
            $"param 'trainer': '{parameters.Trainer}' is not one of {string.Join(", ", Trainers)}."
        );
        Require(
            parameters.TestFraction is > 0 and < 1,
            $"param 'test_fraction': {parameters.TestFraction} must be between 0 and 1."
        );
        Require(parameters.L2 >= 0, "param 'l2' must not be negative.");
        Require(
            parameters.WordNgram is >= 1 and <= 3,
            "param 'ngram' must be 1, 2 or 3 (words, word pairs, word triples)."
        );
        Require(parameters.MinDf >= 1, "param 'min_df' must be at least 1.");
        Require(parameters.NbAlpha > 0, "param 'nb_alpha' must be above 0.");
        Require(parameters.MaxNgrams >= 1000, "param 'max_ngrams' must be at least 1000.");
        Require(parameters.Iterations >= 1, "param 'iterations' must be at least 1.");
        Require(parameters.MaxMalformedShare is >= 0 and <= 1, "param 'max_malformed_share' must be between 0 and 1.");
        Require(parameters.SmokeRows >= 20, "param 'smoke_rows' must be at least 20.");
        Require(parameters.Threads >= 1, "param 'threads' must be at least 1.");
        Require(parameters.Folds >= 1, "param 'folds' must be at least 1 (1: one hold-out split by test_fraction).");
        Require(
            parameters.Fold >= 0 && (parameters.Folds == 1 ? parameters.Fold == 0 : parameters.Fold < parameters.Folds),
            $"param 'fold': {parameters.Fold} is not one of the {parameters.Folds} folds (0 to {parameters.Folds - 1})."
        );
        return parameters;
    }

    /// <summary>The values as logged: every parameter, including defaults, so a run says exactly how it trained.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() =>
        new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = Trainer,
            ["featurizer"] = Featurizer,
            ["seed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["test_fraction"] = TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["l2"] = L2.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ngram"] = WordNgram.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_ngrams"] = MaxNgrams.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["negation"] = Negation ? "true" : "false",
            ["weighting"] = TextFeaturizer.Name(Weighting),
            ["min_df"] = MinDf.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["iterations"] = Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_malformed_share"] = MaxMalformedShare.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["folds"] = Folds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fold"] = Fold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["split_group"] = SplitGroup,
            ["contrast"] = Contrast ? "true" : "false",
            ["nb_alpha"] = NbAlpha.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    private static bool Bool(TrainingConfig config, string key, bool fallback) =>
        config.GetString(key, fallback ? "true" : "false") switch
        {
            "true" => true,
            "false" => false,
            var other => throw new TrainingDataException($"param '{key}': '{other}' is not true or false."),
        };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new TrainingDataException(message);
        }
    }
}
