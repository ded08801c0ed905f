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
    int Iterations,
    double MaxMalformedShare,
    int SmokeRows,
    int Threads
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
        "iterations",
        "max_malformed_share",
        "smoke_rows",
        "threads",
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
            _ => (0.1, 10),
        };
        var parameters = new SentimentParameters(
            trainer,
            config.GetString("featurizer", "text"),
            config.GetInt("seed", 1),
            config.GetDouble("test_fraction", 0.2),
            (float)config.GetDouble("l2", l2),
            config.GetInt("ngram", 2),
            config.GetInt("max_ngrams", 50_000),
            config.GetInt("iterations", iterations),
            config.GetDouble("max_malformed_share", 0.01),
            config.GetInt("smoke_rows", 300),
            config.GetInt("threads", 1)
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
        Require(parameters.WordNgram is 1 or 2, "param 'ngram' must be 1 (words) or 2 (words and word pairs).");
        Require(parameters.MaxNgrams >= 1000, "param 'max_ngrams' must be at least 1000.");
        Require(parameters.Iterations >= 1, "param 'iterations' must be at least 1.");
        Require(parameters.MaxMalformedShare is >= 0 and <= 1, "param 'max_malformed_share' must be between 0 and 1.");
        Require(parameters.SmokeRows >= 20, "param 'smoke_rows' must be at least 20.");
        Require(parameters.Threads >= 1, "param 'threads' must be at least 1.");
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
            ["iterations"] = Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_malformed_share"] = MaxMalformedShare.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new TrainingDataException(message);
        }
    }
}
