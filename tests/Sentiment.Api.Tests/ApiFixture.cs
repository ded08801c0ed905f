using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Testing;
using Pipeline.Training;
using Sentiment.Model;

namespace Sentiment.Api.Tests;

/// <summary>A real model, trained once on the bundled sample, shared by a test class.</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel()
    {
        var config = Folder.Write("training.json", "{ \"model\": \"sentiment\", \"params\": { \"seed\": 3 } }");
        var result = new SentimentTrainer().Train(
            new TrainingRequest(
                Path.Combine(Fixtures.RepositoryRoot, "data", "sample", "reviews.csv"),
                Folder.Combine("training"),
                TrainingConfig.Load(config, []),
                false,
                _ => { }
            )
        );
        ModelFolder = result.ModelDirectory;
        File.WriteAllText(
            Path.Combine(ModelFolder, "lineage.json"),
            "{ \"run_id\": \"0123456789abcdef0123456789abcdef\", \"registered_model\": \"sentiment-model\", \"version\": \"7\", \"commit\": \"c0ffee\", \"dataset_md5\": \"e168c20b\", \"metrics\": { \"accuracy\": 0.97 } }"
        );
    }

    public TempDirectory Folder { get; } = new("api-model");

    public string ModelFolder { get; }

    /// <summary>A copy of the model in a folder of the test's own, for tests that change it.</summary>
    public string CopyTo(string folder)
    {
        Fixtures.CopyTree(ModelFolder, folder);
        return folder;
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>The API in-process with its own SQLite file and settings.</summary>
public sealed class ApiFactory(string modelFolder, string database, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The moderator key every test service accepts (a test may configure others).</summary>
    public const string ModeratorKey = "test-moderator-key";

    /// <summary>The service's JSON log lines, captured instead of going to stdout.</summary>
    public StringWriter Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddSingleton(new Sentiment.Api.Infrastructure.LogSink(Logs)));
        builder.UseSetting("Sentiment:ModelPath", modelFolder);
        builder.UseSetting("Sentiment:SqlitePath", database);
        builder.UseSetting("Sentiment:MaxBatchSize", "4");
        builder.UseSetting("Sentiment:MaxTextLength", "200");
        builder.UseSetting("Sentiment:MaxRequestBodyBytes", "4096");
        // The in-process server has no ports: metrics answer on it; the management port has a test of its own.
        builder.UseSetting("Sentiment:ManagementPort", "0");
        builder.UseSetting("Sentiment:WritesPerMinute", "1000");
        builder.UseSetting("Sentiment:ModeratorKeys:0", ModeratorKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
