using Pipeline.Build.Arguments;
using Pipeline.DataVersioning.Operations;

namespace Pipeline.Build.Tasks;

[TaskName("PushDataset")]
[TaskDescription("Uploads the cached objects of every DVC-tracked dataset (or only --dataset) that the remote lacks.")]
public class PushDataset : AsyncFrostingTask<BuildContext>
{
    private static readonly RepeatableArgument Dataset = TrainingArguments.Dataset;
    private static readonly BuildArgument<string> Remote = DataArguments.Remote;
    private static readonly BuildArgument<int> Jobs = DataArguments.Jobs;

    public override async Task RunAsync(BuildContext context)
    {
        var repository = DvcRepository.Open(context.Root.FullPath);
        var result = await new DataTransfer(repository, context.TransferOptions()).PushAsync(Dataset.Get(context));
        context.Information(
            "PushDataset: {0} file{1} pushed, {2} already on the remote.",
            result.Pushed,
            result.Pushed == 1 ? string.Empty : "s",
            result.AlreadyOnRemote
        );
    }
}
