using Pipeline.Build.Arguments;
using Pipeline.Cake.Tools.Kubectl;
using Pipeline.Delivery.Deploy;
using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("Deploy")]
[TaskDescription(
    "Renders k8s/overlays/<overlay>, applies it server-side, rolls every Deployment running one of our images to its pushed digest "
        + "and waits for the rollouts; undoes them on failure. Moves the champion alias only after success."
)]
[IsDependentOn(typeof(PushImages))]
public sealed class Deploy : AsyncFrostingTask<BuildContext>
{
    private static readonly BuildArgument<string> Overlay = ClusterArguments.Overlay;
    private static readonly BuildArgument<string?> Namespace = ClusterArguments.Namespace;
    private static readonly BuildArgument<string?> KubeContext = ClusterArguments.KubeContext;
    private static readonly BuildArgument<string?> Kubeconfig = ClusterArguments.Kubeconfig;
    private static readonly BuildArgument<TimeSpan> RolloutTimeout = ClusterArguments.RolloutTimeout;
    private static readonly BuildFlag DryRun = ClusterArguments.DryRun;

    public override async Task RunAsync(BuildContext context)
    {
        var result = await Release.RunAsync(
            context,
            new ReleaseRequest(
                context.Root.Combine("k8s").Combine("overlays").Combine(Overlay.Get(context)),
                context.BuiltImages,
                new KubectlSettings
                {
                    Namespace = Namespace.Get(context),
                    Context = KubeContext.Get(context),
                    Kubeconfig = Kubeconfig.Get(context),
                },
                RolloutTimeout.Get(context),
                context.Artifacts.Combine("deploy").CombineWithFilePath("manifests.yaml"),
                DryRun.Get(context),
                AfterRollout: () => MoveChampionAsync(context)
            )
        );
        context.Summary.SetSection("Deploy", result.Describe());
    }

    /// <summary>The registry alias follows what is actually serving, so it moves only after every rollout succeeded.</summary>
    private static async Task MoveChampionAsync(BuildContext context)
    {
        var promoted = await new ModelRegistry(context.Tracking).PromoteExtractedAsync(context.ModelDirectory.FullPath);
        context.Information(
            promoted is null
                ? "Deploy: the model in artifacts/model has no registered version; the champion alias stays where it is."
                : $"Deploy: {promoted.Name} v{promoted.Version} is now the champion."
        );
    }
}
