using Pipeline.Data.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("DataPush")]
[TaskDescription("Uploads the cached objects of every DVC output (or --dataset) that the remote lacks; --remote, --jobs.")]
public sealed class DataPush : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var repository = DvcRepository.Open(context.Root.FullPath);
        var result = await new DataTransfer(repository, context.TransferOptions()).PushAsync(context.DatasetArguments);
        context.Information("DataPush: {0} file{1} pushed, {2} already on the remote.", result.Pushed, result.Pushed == 1 ? string.Empty : "s", result.AlreadyOnRemote);
    }
}
