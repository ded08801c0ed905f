using Pipeline.Build.Arguments;
using Pipeline.DataVersioning.Operations;
using Dvc = Pipeline.DataVersioning.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("DatasetStatus")]
[TaskDescription(
    "Compares the workspace with the .dvc files and the cache, and with the remote unless --offline (dvc status [-c])."
)]
public class DatasetStatus : AsyncFrostingTask<BuildContext>
{
    private static readonly RepeatableArgument Dataset = TrainingArguments.Dataset;
    private static readonly BuildArgument<string> Remote = DataArguments.Remote;
    private static readonly BuildFlag Offline = new("offline", "skip the remote");
    private static readonly BuildFlag Strict = new("strict", "fail when anything differs");

    public override async Task RunAsync(BuildContext context)
    {
        var repository = DvcRepository.Open(context.Root.FullPath);
        var entries = await Dvc.DataStatus.CheckAsync(
            repository,
            Dataset.Get(context),
            Offline.Get(context) ? null : context.TransferOptions()
        );
        foreach (var entry in entries)
        {
            context.Information("    {0}: {1}", entry.State, entry.Path);
        }

        context.Information(entries.Count == 0 ? "Data and remote are up to date." : $"{entries.Count} difference(s).");
        if (entries.Count > 0 && Strict.Get(context))
        {
            throw new InvalidOperationException(
                $"DatasetStatus: {entries.Count} output(s) are out of date (--strict)."
            );
        }
    }
}
