using Pipeline.Testing;
using Pipeline.Training;

namespace Sentiment.Model.Tests;

internal static class TrainingFixture
{
    public static string SampleDataset => Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv");

    public static TrainingConfig Config(
        TempDirectory temp,
        string? extraParams = null,
        string gate = "{ \"floors\": { \"accuracy\": 0.5 } }",
        params string[] overrides
    )
    {
        var path = temp.Write(
            $"training-{Guid.NewGuid():N}.json",
            $"{{ \"model\": \"sentiment\", \"params\": {{ \"seed\": 7, \"test_fraction\": 0.2{extraParams} }}, \"gate\": {gate} }}"
        );
        return TrainingConfig.Load(path, overrides);
    }

    public static TrainingResult Train(
        TempDirectory temp,
        string dataset,
        TrainingConfig config,
        string output = "out",
        bool smoke = false
    ) => new SentimentTrainer().Train(new TrainingRequest(dataset, temp.Combine(output), config, smoke, _ => { }));
}
