using Pipeline.Cake.Deploy;
using Pipeline.Cake.Images;
using Pipeline.Cake.Tools.Kubectl;
using Pipeline.Core.IO;
using Pipeline.Tracking;

namespace Pipeline.Build.Tasks;

[TaskName("Deploy")]
[TaskDescription("Renders k8s/overlays/<--overlay> (default dev), applies it server-side, sets the pushed images by digest and waits for the rollout; undoes it on failure. --dry-run prints the commands and manifests (Cake's own --dryrun only walks the task graph); --namespace, --context, --kubeconfig, --rollout-timeout=seconds.")]
[IsDependentOn(typeof(PushImages))]
public sealed class Deploy : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var overlay = context.Root.Combine("k8s").Combine("overlays").Combine(context.Argument("overlay", "dev"));
        if (!context.DirectoryExists(overlay))
        {
            throw new InvalidOperationException($"Deploy: --overlay: {context.DisplayPath(overlay.FullPath)} does not exist.");
        }

        if (context.FileExists(overlay.CombineWithFilePath("secrets.env.example")) && !context.FileExists(overlay.CombineWithFilePath("secrets.env")))
        {
            throw new InvalidOperationException($"Deploy: {context.DisplayPath(overlay.CombineWithFilePath("secrets.env").FullPath)} is missing; copy secrets.env.example next to it and set the password (it is git-ignored).");
        }

        var timeout = TimeSpan.FromSeconds(context.Argument("rollout-timeout", 300));
        var settings = Settings(context);
        var kustomized = context.KubectlKustomize(settings, overlay.FullPath);
        var images = context.Images ?? ImageManifest.Read(context.ImagesFile.FullPath);
        var rollouts = DeployPlan.From(kustomized, images, settings.Namespace ?? "default");
        var rendered = DeployPlan.Pin(kustomized, rollouts, images);
        var manifests = context.Artifacts.Combine("deploy").CombineWithFilePath("manifests.yaml").FullPath;
        AtomicFile.WriteAllText(manifests, rendered + "\n");
        var apply = new KubectlApplySettings { Namespace = settings.Namespace, Context = settings.Context, Kubeconfig = settings.Kubeconfig, ForceConflicts = true };

        if (context.HasArgument("dry-run"))
        {
            context.Information("Deploy --dry-run: the rendered manifests ({0}):\n{1}", context.DisplayPath(manifests), rendered);
            context.Information("Deploy --dry-run: the commands:");
            context.Information("  kubectl {0}", KubectlArguments.Apply(apply, manifests).RenderSafe());
            foreach (var rollout in rollouts)
            {
                context.Information("  kubectl {0}", KubectlArguments.SetImage(For(settings, rollout), rollout.Resource, rollout.Container, rollout.Image).RenderSafe());
                context.Information("  kubectl {0}", KubectlArguments.RolloutStatus(For(settings, rollout), rollout.Resource, timeout).RenderSafe());
            }

            return;
        }

        context.KubectlApply(apply, manifests);
        foreach (var rollout in rollouts)
        {
            context.KubectlSetImage(For(settings, rollout), rollout.Resource, rollout.Container, rollout.Image);
        }

        foreach (var rollout in rollouts)
        {
            if (!context.KubectlRolloutStatus(For(settings, rollout), rollout.Resource, timeout))
            {
                RollBack(context, For(settings, rollout), rollout);
                throw new InvalidOperationException($"Deploy: {rollout.Resource} in {rollout.Namespace} did not become ready within {timeout.TotalSeconds:0} s; it was rolled back.");
            }

            context.Information("Deploy: {0} in {1} runs {2}", rollout.Resource, rollout.Namespace, rollout.Image);
        }

        context.Summary.SetSection("Deploy", string.Join('\n', rollouts.Select(r => $"- `{r.Resource}` ({r.Namespace}): `{r.Image}`")));
        await MoveChampionAsync(context);
    }

    private static KubectlSettings Settings(BuildContext context) => new()
    {
        Namespace = context.Argument<string?>("namespace", null),
        Context = context.Argument<string?>("context", null),
        Kubeconfig = context.Argument<string?>("kubeconfig", null),
    };

    private static KubectlSettings For(KubectlSettings settings, ImageRollout rollout) =>
        new() { Namespace = settings.Namespace ?? rollout.Namespace, Context = settings.Context, Kubeconfig = settings.Kubeconfig };

    /// <summary>Prints why the newest pod failed (its events and logs), then returns the Deployment to its previous revision.</summary>
    private static void RollBack(BuildContext context, KubectlSettings settings, ImageRollout rollout)
    {
        context.Error("Deploy: {0} did not roll out; events:\n{1}", rollout.Resource, context.KubectlEvents(settings, "Deployment", rollout.Deployment));
        if (context.KubectlPodNames(settings, rollout.Selector).LastOrDefault() is { } pod)
        {
            context.Error("Deploy: events of pod {0}:\n{1}", pod, context.KubectlEvents(settings, "Pod", pod));
            context.Error("Deploy: logs of pod {0}:\n{1}", pod, context.KubectlLogs(settings, pod));
        }

        context.KubectlRolloutUndo(settings, rollout.Resource);
    }

    /// <summary>The registry alias follows what is actually serving, so it moves only after every rollout succeeded.</summary>
    private static async Task MoveChampionAsync(BuildContext context)
    {
        if (Promote.LineageVersion(context) is not { } version)
        {
            context.Information("Deploy: the model in artifacts/model has no registered version; the champion alias stays where it is.");
            return;
        }

        var name = context.TrainingConfig.RegisteredModel;
        await new ModelRegistry(context.Tracking).PromoteAsync(name, version);
        context.Information("Deploy: {0} v{1} is now the champion.", name, version);
    }
}
