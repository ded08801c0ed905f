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
/// The Deploy stage, all or nothing as far as Kubernetes allows: render the overlay with kustomize and pin our images
/// to their digests; a server-side dry run first, so a kind the cluster does not know or an object it refuses fails
/// the release before anything is applied; then apply server-side, set each Deployment's image and wait for every
/// rollout. When any rollout does not finish, each failing one is diagnosed (events, logs; a diagnosis never stops
/// the undo), and every Deployment this release changed is returned to its previous revision, which also brings back
/// the training Job template its pods mount; a Deployment this release created has no revision to return to and is
/// left for inspection. The error says what was undone.
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

        var served = context.KubectlServedKinds(request.Cluster);
        var unknown = DeployPlan.Objects(pinned).Where(o => !served.Contains(o.Kind)).ToList();
        if (unknown.Count > 0)
        {
            throw new DeliveryException(
                "the cluster does not serve these kinds (install their CustomResourceDefinitions first); nothing was applied:\n  "
                    + string.Join("\n  ", unknown.Select(o => $"{o.Kind} {o.Name}"))
            );
        }

        if (DeployPlan.Namespaces(pinned) is { Length: > 0 } namespaces)
        {
            var file = request.ManifestsFile.GetDirectory().CombineWithFilePath("namespaces.yaml").FullPath;
            AtomicFile.WriteAllText(file, namespaces);
            context.KubectlApply(apply, file);
        }

        var refused = context.KubectlApplyDryRun(apply, request.ManifestsFile.FullPath);
        if (refused.Count > 0)
        {
            throw new DeliveryException(
                "the cluster refused the release in a server-side dry run; nothing was applied:\n  "
                    + string.Join("\n  ", refused)
            );
        }

        // What each Deployment was before: a revision to return to, or nothing (this release creates it).
        var before = rollouts
            .DistinctBy(r => (r.Namespace, r.Deployment))
            .ToDictionary(r => r, r => context.KubectlDeploymentRevision(For(request.Cluster, r), r.Deployment));
        context.KubectlApply(apply, request.ManifestsFile.FullPath);
        foreach (var rollout in rollouts)
        {
            context.KubectlSetImage(For(request.Cluster, rollout), rollout.Resource, rollout.Container, rollout.Image);
        }

        var failed = rollouts
            .Where(r => !context.KubectlRolloutStatus(For(request.Cluster, r), r.Resource, request.RolloutTimeout))
            .ToList();
        if (failed.Count > 0)
        {
            failed.ForEach(r => Diagnose(context, For(request.Cluster, r), r));
            throw new DeliveryException(
                $"{string.Join(", ", failed.Select(r => $"{r.Resource} in {r.Namespace}"))} did not become ready within "
                    + $"{request.RolloutTimeout.TotalSeconds:0} s. {Undo(context, request, before)}"
            );
        }

        foreach (var rollout in rollouts)
        {
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

    /// <summary>Prints why the newest pod failed: its Deployment's events, then the pod's events and logs.</summary>
    private static void Diagnose(ICakeContext context, KubectlSettings settings, ImageRollout rollout)
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
    }

    /// <summary>
    /// Returns every Deployment this release changed to the revision it had before, and says what happened to each:
    /// undone, unchanged, or created by this release (no history: left for inspection).
    /// </summary>
    private static string Undo(ICakeContext context, ReleaseRequest request, Dictionary<ImageRollout, long?> before)
    {
        var undone = new List<string>();
        var created = new List<string>();
        foreach (var (rollout, revision) in before)
        {
            var settings = For(request.Cluster, rollout);
            if (revision is null)
            {
                created.Add(rollout.Resource);
            }
            else if (context.KubectlDeploymentRevision(settings, rollout.Deployment) is var now && now != revision)
            {
                context.Log.Information(
                    "Deploy: {0} went from revision {1} to {2}; returning it to {1}",
                    rollout.Resource,
                    revision,
                    now
                );
                context.KubectlRolloutUndo(settings, rollout.Resource);
                undone.Add(rollout.Resource);
            }
        }

        return (
                undone.Count > 0
                    ? $"Rolled back to their previous revisions: {string.Join(", ", undone)}. "
                    : "Nothing to roll back. "
            )
            + (
                created.Count > 0
                    ? $"First deploy of {string.Join(", ", created)}: there is no earlier revision to return to, so they are left as they are for inspection."
                    : string.Empty
            );
    }
}
