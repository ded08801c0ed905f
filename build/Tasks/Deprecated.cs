namespace Pipeline.Build.Tasks;

// The data targets' earlier names, kept so scripts that call them keep working; each says what to call instead.

[TaskName("DataAdd")]
[TaskDescription("Deprecated name of AddDataset.")]
public sealed class DataAdd : AddDataset
{
    public override void Run(BuildContext context)
    {
        context.Warning("DataAdd is deprecated; use --target=AddDataset.");
        base.Run(context);
    }
}

[TaskName("DataPush")]
[TaskDescription("Deprecated name of PushDataset.")]
public sealed class DataPush : PushDataset
{
    public override Task RunAsync(BuildContext context)
    {
        context.Warning("DataPush is deprecated; use --target=PushDataset.");
        return base.RunAsync(context);
    }
}

[TaskName("DataStatus")]
[TaskDescription("Deprecated name of DatasetStatus.")]
public sealed class DataStatus : DatasetStatus
{
    public override Task RunAsync(BuildContext context)
    {
        context.Warning("DataStatus is deprecated; use --target=DatasetStatus.");
        return base.RunAsync(context);
    }
}

[TaskName("DataVersion")]
[TaskDescription("Deprecated name of DatasetVersion.")]
public sealed class DataVersion : DatasetVersion
{
    public override void Run(BuildContext context)
    {
        context.Warning("DataVersion is deprecated; use --target=DatasetVersion.");
        base.Run(context);
    }
}
