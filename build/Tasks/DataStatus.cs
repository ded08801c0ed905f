using Pipeline.Data.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("DataStatus")]
[TaskDescription("Compares the workspace with the .dvc files and the cache, and with the remote unless --offline; exits non-zero with --strict when anything differs.")]
public sealed class DataStatus : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var repository = DvcRepository.Open(context.Root.FullPath);
        var remote = context.HasArgument("offline") ? null : context.TransferOptions();
        var entries = await Pipeline.Data.Operations.DataStatus.CheckAsync(repository, context.DatasetArguments, remote);
        foreach (var entry in entries)
        {
            context.Information("    {0}: {1}", entry.State, entry.Path);
        }

        context.Information(entries.Count == 0 ? "Data and remote are up to date." : $"{entries.Count} difference(s).");
        if (entries.Count > 0 && context.HasArgument("strict"))
        {
            throw new InvalidOperationException($"DataStatus: {entries.Count} output(s) are out of date (--strict).");
        }
    }
}
