using Pipeline.Testing;

namespace Sentiment.Model.Tests;

/// <summary>The predictor's contract with every caller (the API, the trainer, the champion re-scoring).</summary>
public sealed class SentimentPredictorTests(SentimentPredictorTests.Models models)
    : IClassFixture<SentimentPredictorTests.Models>
{
    /// <summary>One model per trainer, trained once on the bundled sample.</summary>
    public sealed class Models : IDisposable
    {
        private readonly TempDirectory _temp = new("predictor");

        public Models()
        {
            Lbfgs = TrainingFixture
                .Train(_temp, TrainingFixture.SampleDataset, TrainingFixture.Config(_temp), "lbfgs")
                .ModelDirectory;
            Perceptron = TrainingFixture
                .Train(
                    _temp,
                    TrainingFixture.SampleDataset,
                    TrainingFixture.Config(_temp, overrides: "trainer=averaged_perceptron"),
                    "perceptron"
                )
                .ModelDirectory;
        }

        public string Lbfgs { get; }

        public string Perceptron { get; }

        public void Dispose() => _temp.Dispose();
    }

    [Fact]
    public void Load_ModelFolder_LoadsTheModelZipInside()
    {
        var fromFolder = SentimentPredictor.Load(models.Lbfgs);
        var fromZip = SentimentPredictor.Load(Path.Combine(models.Lbfgs, "model.zip"));

        fromFolder.Predict("A wonderful film.").Probability.ShouldBe(fromZip.Predict("A wonderful film.").Probability);
    }

    [Fact]
    public void Load_FolderWithoutAModel_SaysItIsNotAModelFolder()
    {
        using var empty = new TempDirectory("no-model");

        var error = Should.Throw<FileNotFoundException>(() => SentimentPredictor.Load(empty.Path));

        error.Message.ShouldBe($"{empty.Path} holds no model.zip; it is not a sentiment model folder.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("<br /><br />")]
    [InlineData("!!! ... ???")]
    [InlineData("<p></p>")]
    public void Predict_TextWithoutWords_IsRefusedNotGuessed(string text)
    {
        var predictor = SentimentPredictor.Load(models.Lbfgs);

        var error = Should.Throw<ArgumentException>(() => predictor.Predict(text));

        error.ParamName.ShouldBe("review");
        error.Message.ShouldContain("no words to judge");
    }

    [Fact]
    public void PredictBatch_AnyTrainer_LabelAlwaysAgreesWithTheProbability()
    {
        // The perceptron's raw decision and its calibrated probability disagreed near the boundary before.
        var reviews = File.ReadAllLines(TrainingFixture.SampleDataset).Skip(1).Take(3000).ToList();

        foreach (var model in new[] { models.Lbfgs, models.Perceptron })
        {
            var predictions = SentimentPredictor.Load(model).PredictBatch(reviews);

            predictions.ShouldAllBe(p => p.Positive == (p.Probability >= 0.5f));
            predictions.Select(p => p.Positive).Distinct().Count().ShouldBe(2);
        }
    }

    [Theory]
    [InlineData("I loved it.", true)]
    [InlineData("Great movie.", true)]
    [InlineData("A beautiful, gripping film with wonderful performances. I loved it.", true)]
    [InlineData("The acting was superb and the ending made me cry.", true)]
    [InlineData("Terrible film, I hated it.", false)]
    [InlineData("Boring and far too long.", false)]
    public void Predict_SampleModel_AnswersPlainReviewsRight(string review, bool positive)
    {
        SentimentPredictor.Load(models.Lbfgs).Predict(review).Positive.ShouldBe(positive);
    }
}
