using System.Text;
using Pipeline.Testing;
using Pipeline.Training;

namespace Sentiment.Model.Tests;

public sealed class SentimentTrainerTests
{
    [Fact]
    public void Train_SameDataSeedAndConfig_GivesTheSameMetrics()
    {
        using var temp = new TempDirectory("train");
        var config = TrainingFixture.Config(temp);

        var first = TrainingFixture.Train(temp, TrainingFixture.SampleDataset, config, "a");
        var second = TrainingFixture.Train(temp, TrainingFixture.SampleDataset, config, "b");

        first.Metrics.Where(m => m.Key != "fit_seconds").ShouldBe(second.Metrics.Where(m => m.Key != "fit_seconds"));
        first.Dataset.Md5.ShouldBe(second.Dataset.Md5);
    }

    [Fact]
    public void Train_DifferentSeed_SplitsDifferently()
    {
        using var temp = new TempDirectory("train");

        var a = TrainingFixture.Train(temp, TrainingFixture.SampleDataset, TrainingFixture.Config(temp), "a");
        var b = TrainingFixture.Train(
            temp,
            TrainingFixture.SampleDataset,
            TrainingFixture.Config(temp, overrides: "seed=99"),
            "b"
        );

        a.Params["seed"].ShouldBe("7");
        b.Params["seed"].ShouldBe("99");
        File.ReadAllBytes(Path.Combine(a.ModelDirectory, "model.zip"))
            .ShouldNotBe(File.ReadAllBytes(Path.Combine(b.ModelDirectory, "model.zip")));
    }

    [Fact]
    public void Train_Sample_WritesModelSignatureAndReports()
    {
        using var temp = new TempDirectory("train");

        var result = TrainingFixture.Train(temp, TrainingFixture.SampleDataset, TrainingFixture.Config(temp));

        File.Exists(Path.Combine(result.ModelDirectory, "model.zip")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(result.ModelDirectory, "signature.json")).ShouldContain("\"name\": \"Review\"");
        File.ReadAllText(Path.Combine(result.ReportDirectory, "roc_curve.svg")).ShouldStartWith("<svg");
        File.ReadAllText(Path.Combine(result.ReportDirectory, "confusion_matrix.svg"))
            .ShouldContain("Confusion matrix");
        var html = File.ReadAllText(Path.Combine(result.ReportDirectory, "report.html"));
        html.ShouldContain("<img src=\"roc_curve.svg\"");
        html.ShouldContain("<img src=\"confusion_matrix.svg\"");
        html.ShouldContain("accuracy");
        File.ReadAllText(Path.Combine(result.ReportDirectory, "metrics.json")).ShouldContain("\"auc\"");
        result.Dataset.TrainRows.ShouldBe(4800);
        result.Dataset.TestRows.ShouldBe(1200);
        foreach (
            var metric in new[]
            {
                "accuracy",
                "auc",
                "f1",
                "log_loss",
                "precision",
                "recall",
                "true_positives",
                "false_negatives",
            }
        )
        {
            result.Metrics.Keys.ShouldContain(metric);
        }

        (
            result.Metrics["true_positives"]
            + result.Metrics["false_positives"]
            + result.Metrics["true_negatives"]
            + result.Metrics["false_negatives"]
        ).ShouldBe(1200);
    }

    [Theory]
    [InlineData("sdca")]
    [InlineData("averaged_perceptron")]
    public void Train_OtherTrainers_ProduceCalibratedModels(string trainer)
    {
        using var temp = new TempDirectory("train");

        var result = TrainingFixture.Train(
            temp,
            TrainingFixture.SampleDataset,
            TrainingFixture.Config(temp, overrides: $"trainer={trainer}")
        );

        result.Params["trainer"].ShouldBe(trainer);
        result.Metrics["accuracy"].ShouldBeGreaterThan(0.7);
        result.Metrics["log_loss"].ShouldBeLessThan(1.0);
    }

    [Fact]
    public void Train_AveragedPerceptron_RecordsHeldOutMetricsForEveryEpoch()
    {
        using var temp = new TempDirectory("train");

        var result = TrainingFixture.Train(
            temp,
            TrainingFixture.SampleDataset,
            TrainingFixture.Config(temp, overrides: ["trainer=averaged_perceptron", "iterations=4"])
        );

        result.History.Where(h => h.Key == "epoch_accuracy").Select(h => h.Step).ShouldBe([1, 2, 3, 4]);
        result.History.Where(h => h.Key == "epoch_auc").ShouldAllBe(h => h.Value > 0.5 && h.Value <= 1.0);
        result.Metrics["accuracy"].ShouldBeGreaterThan(0.7);
    }

    [Fact]
    public void Train_Lbfgs_HasNoEpochs()
    {
        using var temp = new TempDirectory("train");

        TrainingFixture
            .Train(temp, TrainingFixture.SampleDataset, TrainingFixture.Config(temp))
            .History.ShouldBeEmpty();
    }

    [Fact]
    public void Train_Smoke_UsesOnlyTheFirstRows()
    {
        using var temp = new TempDirectory("train");

        var result = TrainingFixture.Train(
            temp,
            TrainingFixture.SampleDataset,
            TrainingFixture.Config(temp, overrides: "smoke_rows=100"),
            smoke: true
        );

        (result.Dataset.TrainRows + result.Dataset.TestRows).ShouldBe(100);
    }

    [Fact]
    public void Train_QuotedCommasBreaksAndUtf8_AreRead()
    {
        using var temp = new TempDirectory("train");
        var rows = new StringBuilder("review,sentiment\n");
        for (var i = 0; i < 40; i++)
        {
            rows.Append(
                i % 2 == 0
                    ? $"\"Wonderful, \"\"heartfelt\"\" film<br /><br />Café scenes are lovely {i}\",positive\n"
                    : $"\"Awful, boring mess<br />naïve plot {i}\",negative\n"
            );
        }

        var result = TrainingFixture.Train(temp, temp.Write("tiny.csv", rows.ToString()), TrainingFixture.Config(temp));

        result.Dataset.Rows.ShouldBe(40);
        result.Dataset.Malformed.ShouldBeEmpty();
        result.Metrics["accuracy"].ShouldBe(1.0);
    }

    [Fact]
    public void Train_FewMalformedRows_SkipsAndReportsThemByLine()
    {
        using var temp = new TempDirectory("train");
        var lines = File.ReadAllLines(TrainingFixture.SampleDataset).ToList();
        lines.Insert(5, "a review with a strange label,meh");
        var dataset = temp.Write("data.csv", string.Join('\n', lines) + "\n");

        var result = TrainingFixture.Train(temp, dataset, TrainingFixture.Config(temp));

        result.Dataset.Malformed.ShouldBe(["line 6: unknown label 'meh' (expected positive or negative)"]);
        File.ReadAllText(Path.Combine(result.ReportDirectory, "report.html")).ShouldContain("line 6: unknown label");
    }

    [Theory]
    [InlineData("", "1: the file is empty")]
    [InlineData("text,label\nfine,positive\n", "1: missing column(s) 'review', 'sentiment'")]
    [InlineData("review,sentiment\n", "2: the file has a header but no rows")]
    [InlineData("review,sentiment\n\"unterminated,positive\n", "2: a quoted field is never closed")]
    public void Train_BadFile_NamesFileAndLineAndWritesNoModel(string contents, string problem)
    {
        using var temp = new TempDirectory("train");
        var dataset = temp.Write("bad.csv", contents);

        var error = Should.Throw<TrainingDataException>(() =>
            TrainingFixture.Train(temp, dataset, TrainingFixture.Config(temp))
        );

        error.Message.ShouldStartWith($"{dataset}:{problem}");
        Directory.Exists(temp.Combine("out")).ShouldBeFalse();
    }

    [Fact]
    public void Train_UnknownLabelsBeyondTheShare_ListsTheLines()
    {
        using var temp = new TempDirectory("train");
        var dataset = temp.Write("labels.csv", "review,sentiment\ngood,positive\nbad,negative\nmeh,neutral\nok,5\n");

        var error = Should.Throw<TrainingDataException>(() =>
            TrainingFixture.Train(temp, dataset, TrainingFixture.Config(temp))
        );

        error.Message.ShouldStartWith($"{dataset}: 2 of 4 rows are malformed");
        error.Message.ShouldContain("line 4: unknown label 'neutral'");
        error.Message.ShouldContain("line 5: unknown label '5'");
        Directory.Exists(temp.Combine("out")).ShouldBeFalse();
    }

    [Fact]
    public void Train_OnlyOneClass_Fails()
    {
        using var temp = new TempDirectory("train");
        var dataset = temp.Write(
            "one.csv",
            "review,sentiment\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"great film {i},positive\n"))
        );

        Should
            .Throw<TrainingDataException>(() => TrainingFixture.Train(temp, dataset, TrainingFixture.Config(temp)))
            .Message.ShouldBe($"{dataset}: all 30 usable rows are positive; a classifier needs both classes.");
    }

    [Fact]
    public void Train_NonUtf8Bytes_NameTheLine()
    {
        using var temp = new TempDirectory("train");
        var dataset = temp.Combine("latin1.csv");
        File.WriteAllBytes(
            dataset,
            Encoding
                .UTF8.GetBytes("review,sentiment\ngood,positive\n")
                .Concat(Encoding.Latin1.GetBytes("caf\u00e9 au lait,negative\n"))
                .ToArray()
        );

        var error = Should.Throw<TrainingDataException>(() =>
            TrainingFixture.Train(temp, dataset, TrainingFixture.Config(temp))
        );

        error.Message.ShouldStartWith($"{dataset}:3:");
        error.Message.ShouldContain("not valid UTF-8");
    }

    [Fact]
    public void Train_FailedRun_LeavesThePreviousModelInPlace()
    {
        using var temp = new TempDirectory("train");
        var good = TrainingFixture.Train(temp, TrainingFixture.SampleDataset, TrainingFixture.Config(temp));
        var before = File.ReadAllBytes(Path.Combine(good.ModelDirectory, "model.zip"));

        Should.Throw<TrainingDataException>(() =>
            TrainingFixture.Train(temp, temp.Write("empty.csv", string.Empty), TrainingFixture.Config(temp))
        );

        File.ReadAllBytes(Path.Combine(good.ModelDirectory, "model.zip")).ShouldBe(before);
    }

    [Theory]
    [InlineData("trainer=forest", "param 'trainer': 'forest' is not one of")]
    [InlineData("test_fraction=1.5", "param 'test_fraction'")]
    [InlineData("seed=abc", "param 'seed': 'abc' is not a valid int32")]
    [InlineData("learning_rate=0.1", "unknown training param(s) learning_rate")]
    [InlineData("featurizer=bert", "param 'featurizer': 'bert' is not one of text, mlnet")]
    [InlineData("ngram=4", "param 'ngram' must be 1, 2 or 3")]
    public void Train_BadParam_NamesIt(string param, string message)
    {
        using var temp = new TempDirectory("train");

        Should
            .Throw<TrainingDataException>(() =>
                TrainingFixture.Train(
                    temp,
                    TrainingFixture.SampleDataset,
                    TrainingFixture.Config(temp, overrides: param)
                )
            )
            .Message.ShouldContain(message);
    }

    [Fact]
    public void SavedModel_LoadedElsewhere_AppliesTheSameNormalization()
    {
        using var temp = new TempDirectory("train");
        var result = TrainingFixture.Train(temp, TrainingFixture.SampleDataset, TrainingFixture.Config(temp));

        var predictor = SentimentPredictor.Load(Path.Combine(result.ModelDirectory, "model.zip"));
        var predictions = predictor.PredictBatch([
            "The chemistry between the two leads is electric. <br /><br />Highly recommended.",
            "The plot is a mess of loose ends and coincidences.<br />Skip it.",
        ]);

        predictions[0].Sentiment.ShouldBe("positive");
        predictions[1].Sentiment.ShouldBe("negative");
        predictor
            .Predict("The plot is a mess of loose ends and coincidences. Skip it.")
            .Probability.ShouldBe(predictions[1].Probability, 1e-5);
    }

    [Theory]
    [InlineData("lbfgs")]
    [InlineData("averaged_perceptron")]
    public void Train_MlNetFeaturizer_SavesATextModelThatPredictsLikeOurs(string trainer)
    {
        using var temp = new TempDirectory("train");
        var ours = TrainingFixture.Train(
            temp,
            TrainingFixture.SampleDataset,
            TrainingFixture.Config(temp, overrides: $"trainer={trainer}")
        );
        using var other = new TempDirectory("train");
        var mlnet = TrainingFixture.Train(
            other,
            TrainingFixture.SampleDataset,
            TrainingFixture.Config(other, overrides: [$"trainer={trainer}", "featurizer=mlnet"])
        );

        var predictor = SentimentPredictor.Load(Path.Combine(mlnet.ModelDirectory, "model.zip"));

        predictor.Featurizer.ShouldBeNull(); // the text goes into the ML.NET model itself
        predictor
            .Predict("The chemistry between the two leads is electric.<br /><br />Highly recommended.")
            .Sentiment.ShouldBe("positive");
        predictor.Predict("The plot is a mess of loose ends. Skip it.").Sentiment.ShouldBe("negative");
        mlnet.Params["featurizer"].ShouldBe("mlnet");
        mlnet.Metrics["accuracy"].ShouldBe(ours.Metrics["accuracy"], 0.1);
    }
}
