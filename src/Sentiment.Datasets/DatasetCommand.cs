using System.ComponentModel;
using Pipeline.Cli;
using Pipeline.Collection.Daily;
using Pipeline.Collection.Monthly;
using Pipeline.Collection.Storage;
using Pipeline.DataVersioning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Sentiment.Datasets;

/// <summary>
/// The CronJobs' entry point: <c>pipeline-datasets collect-daily</c> and <c>pipeline-datasets create-monthly</c>.
/// Exit codes: <see cref="ConsoleApp"/>'s (1: a data-quality check failed).
/// </summary>
public static class DatasetCommand
{
    public static Task<int> RunAsync(string[] args, ConsoleIO io) =>
        ConsoleApp.RunAsync(
            "pipeline-datasets",
            args,
            io,
            ex =>
                ex is ArgumentException or FormatException or InvalidOperationException or DvcException or IOException,
            config =>
            {
                config
                    .AddCommand<CollectDailyCommand>("collect-daily")
                    .WithDescription("Collects the reviews and feedback stored since the last collection.");
                config
                    .AddCommand<CreateMonthlyCommand>("create-monthly")
                    .WithDescription("Builds the verified and full datasets of one UTC month.");
            }
        );
}

/// <summary>Where datasets are stored: a folder, or an S3 bucket (credentials from the AWS environment variables).</summary>
public class StorageSettings : CommandSettings
{
    [CommandOption("--storage <LOCATION>")]
    [Description("s3://bucket/prefix or a folder.")]
    [DefaultValue("artifacts/object-store")]
    public string Storage { get; init; } = "artifacts/object-store";

    [CommandOption("--s3-endpoint <URL>")]
    [Description("The endpoint of an S3-compatible store.")]
    public string? S3Endpoint { get; init; }

    public IObjectStorage Open(ConsoleIO io) => StorageFactory.Create(Storage, S3Endpoint, io.Environment);
}

public sealed class CollectDailyCommand(ConsoleIO io) : AsyncCommand<CollectDailyCommand.Settings>
{
    public sealed class Settings : StorageSettings
    {
        [CommandOption("--postgres <CONNECTION>")]
        [Description("The reviews database in PostgreSQL. Default: REVIEWS_POSTGRES.")]
        public string? Postgres { get; init; }

        [CommandOption("--sqlite <FILE>")]
        [Description("The reviews database in SQLite (without --postgres).")]
        [DefaultValue("artifacts/sentiment-api.db")]
        public string Sqlite { get; init; } = "artifacts/sentiment-api.db";
    }

    public override async Task<int> ExecuteAsync(
        CommandContext context,
        Settings settings,
        CancellationToken cancellationToken
    )
    {
        var store = settings.Open(io);
        var (source, _) = new ReviewDatabaseSources().Open(
            settings.Postgres ?? io.Environment("REVIEWS_POSTGRES"),
            settings.Sqlite
        );
        var daily = await DailyCollector.CollectAsync(store, source, DateTimeOffset.UtcNow, cancellationToken);
        io.Output.WriteLine($"collected {daily.Rows} row(s) into {daily.Days.Count} day folder(s) of {store.Location}");
        return ConsoleApp.Succeeded;
    }
}

public sealed class CreateMonthlyCommand(ConsoleIO io) : AsyncCommand<CreateMonthlyCommand.Settings>
{
    public sealed class Settings : StorageSettings
    {
        [CommandOption("--year <YYYY>")]
        [Description("The year of the month to build (with --month). Default: the previous UTC month.")]
        public int? Year { get; init; }

        [CommandOption("--month <M>")]
        [Description("The month to build, 1-12 (with --year).")]
        public int? Month { get; init; }

        public override ValidationResult Validate() =>
            Year.HasValue != Month.HasValue ? ValidationResult.Error("--year and --month go together.")
            : Month is < 1 or > 12 ? ValidationResult.Error($"--month: {Month} is not 1-12.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(
        CommandContext context,
        Settings settings,
        CancellationToken cancellationToken
    )
    {
        var (year, month) = settings is { Year: { } y, Month: { } m }
            ? (y, m)
            : MonthlyBuilder.PreviousMonth(DateTimeOffset.UtcNow);
        try
        {
            var monthly = await MonthlyBuilder.CreateAsync(
                settings.Open(io),
                year,
                month,
                new QualityOptions(),
                cancellationToken
            );
            io.Output.WriteLine(
                $"{year:0000}-{month:00}: verified {monthly.Verified.Rows} rows ({monthly.Verified.Version}), "
                    + $"full {monthly.Full.Rows} rows ({monthly.Full.Version})"
            );
            foreach (var flag in monthly.Flags)
            {
                io.Output.WriteLine("flag: " + flag);
            }

            return ConsoleApp.Succeeded;
        }
        catch (DataQualityException ex)
        {
            io.Error.WriteLine(ex.Message);
            return ConsoleApp.CheckFailed;
        }
    }
}
