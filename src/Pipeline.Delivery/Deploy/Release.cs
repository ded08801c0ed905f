using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Pipeline.Cake.Tools.Kubectl;
using Pipeline.Core.IO;
using Pipeline.Delivery.Images;

namespace Pipeline.Delivery.Deploy;

/// <param name="Overlay">The kustomize folder to render, e.g. <c>k8s/overlays/dev</c>.</param>
/// <param name="Images">What BuildImages/PushImages recorded; every Deployment running one of them is rolled to it.</param>
/// <param name="Cluster">The global kubectl flags (namespace, context, kubeconfig) of every command.</param>
/// <param name="ManifestsFile">Where the rendered, pinned manifests are kept (what was applied).</param>
/// <param name="DryRun">Render and print the manifests and commands; touch no cluster.</param>
/// <param name="AfterRollout">What follows only when every rollout succeeded (moving the champion alias).</param>
public sealed record ReleaseRequest(
    DirectoryPath Overlay,
    IReadOnlyList<BuiltImage> Images,
    KubectlSettings Cluster,
    TimeSpan RolloutTimeout,
    FilePath ManifestsFile,
    bool DryRun = false,
    Func<Task>? AfterRollout = null
);

/// <summary>What was rolled out (nothing on a dry run).</summary>
public sealed record ReleaseResult(IReadOnlyList<ImageRollout> Rollouts, bool DryRun)
{
    /// <summary>A Markdown list of what runs where, for the build summary.</summary>
    public string Describe() =>
        DryRun
            ? "Dry run: nothing was applied."
            : string.Join('\n', Rollouts.Select(r => $"- `{r.Resource}` ({r.Namespace}): `{r.Image}`"));
}

/// <summary>
/// The Deploy stage: render the overlay with kustomize, pin our images to their digests, apply server-side, set each
/// Deployment's image, wait for every rollout; a rollout that does not finish is diagnosed (events, logs), undone, and fails.
/// </summary>
public static class Release
{
    public static async Task<ReleaseResult> RunAsync(ICakeContext context, ReleaseRequest request)
    {
        CheckOverlay(context, request.Overlay);
        var rendered = context.KubectlKustomize(request.Cluster, request.Overlay.FullPath);
        var rollouts = DeployPlan.From(rendered, request.Images, request.Cluster.Namespace ?? "default");
        var pinned = DeployPlan.Pin(rendered, rollouts, request.Images);
        AtomicFile.WriteAllText(request.ManifestsFile.FullPath, pinned + "\n");
        var apply = new KubectlApplySettings
        {
            Namespace = request.Cluster.Namespace,
            Context = request.Cluster.Context,
            Kubeconfig = request.Cluster.Kubeconfig,
            ForceConflicts = true,
        };

        if (request.DryRun)
        {
            PrintDryRun(context, request, rollouts, pinned, apply);
            return new ReleaseResult(rollouts, DryRun: true);
        }

        context.KubectlApply(apply, request.ManifestsFile.FullPath);
        foreach (var rollout in rollouts)
        {
            context.KubectlSetImage(For(request.Cluster, rollout), rollout.Resource, rollout.Container, rollout.Image);
        }

        foreach (var rollout in rollouts)
        {
            if (!context.KubectlRolloutStatus(For(request.Cluster, rollout), rollout.Resource, request.RolloutTimeout))
            {
                RollBack(context, For(request.Cluster, rollout), rollout);
                throw new DeliveryException(
                    $"{rollout.Resource} in {rollout.Namespace} did not become ready within {request.RolloutTimeout.TotalSeconds:0} s; it was rolled back."
                );
            }

            context.Log.Information("Deploy: {0} in {1} runs {2}", rollout.Resource, rollout.Namespace, rollout.Image);
        }

        if (request.AfterRollout is not null)
        {
            await request.AfterRollout();
        }

        return new ReleaseResult(rollouts, DryRun: false);
    }

    private static void CheckOverlay(ICakeContext context, DirectoryPath overlay)
    {
        if (!context.FileSystem.Exist(overlay))
        {
            throw new DeliveryException($"--overlay: {Display(context, overlay)} does not exist.");
        }

        if (
            context.FileSystem.Exist(overlay.CombineWithFilePath("secrets.env.example"))
            && !context.FileSystem.Exist(overlay.CombineWithFilePath("secrets.env"))
        )
        {
            throw new DeliveryException(
                $"{Display(context, overlay)}/secrets.env is missing; copy secrets.env.example next to it and set the password (it is git-ignored)."
            );
        }
    }

    private static string Display(ICakeContext context, DirectoryPath path) =>
        DisplayPath.Of(path.FullPath, context.Environment.WorkingDirectory.FullPath);

    private static void PrintDryRun(
        ICakeContext context,
        ReleaseRequest request,
        IReadOnlyList<ImageRollout> rollouts,
        string pinned,
        KubectlApplySettings apply
    )
    {
        context.Log.Information(
            "Deploy --dry-run: the rendered manifests ({0}):\n{1}",
            request.ManifestsFile.FullPath,
            pinned
        );
        context.Log.Information("Deploy --dry-run: the commands:");
        context.Log.Information(
            "  kubectl {0}",
            KubectlArguments.Apply(apply, request.ManifestsFile.FullPath).RenderSafe()
        );
        foreach (var rollout in rollouts)
        {
            var settings = For(request.Cluster, rollout);
            context.Log.Information(
                "  kubectl {0}",
                KubectlArguments.SetImage(settings, rollout.Resource, rollout.Container, rollout.Image).RenderSafe()
            );
            context.Log.Information(
                "  kubectl {0}",
                KubectlArguments.RolloutStatus(settings, rollout.Resource, request.RolloutTimeout).RenderSafe()
            );
        }
    }

    private static KubectlSettings For(KubectlSettings cluster, ImageRollout rollout) =>
        new()
        {
            Namespace = cluster.Namespace ?? rollout.Namespace,
            Context = cluster.Context,
            Kubeconfig = cluster.Kubeconfig,
        };

    /// <summary>Prints why the newest pod failed (its events and logs), then returns the Deployment to its previous revision.</summary>
    private static void RollBack(ICakeContext context, KubectlSettings settings, ImageRollout rollout)
    {
        context.Log.Error(
            "Deploy: {0} did not roll out; events:\n{1}",
            rollout.Resource,
            context.KubectlEvents(settings, "Deployment", rollout.Deployment)
        );
        if (context.KubectlPodNames(settings, rollout.Selector) is [.., var pod])
        {
            context.Log.Error("Deploy: events of pod {0}:\n{1}", pod, context.KubectlEvents(settings, "Pod", pod));
            context.Log.Error("Deploy: logs of pod {0}:\n{1}", pod, context.KubectlLogs(settings, pod));
        }

        context.KubectlRolloutUndo(settings, rollout.Resource);
    }
}
