using Cake.Core;
using Cake.Core.Diagnostics;

namespace Pipeline.Cake.Tools.Kubectl;

/// <summary>The kubectl commands the Deploy stage uses, as Cake aliases over <see cref="CliTool{TSettings}"/>.</summary>
public static class KubectlAliases
{
    /// <summary>The rendered manifests of a kustomization folder.</summary>
    public static string KubectlKustomize(this ICakeContext context, KubectlSettings settings, string directory) =>
        Tool<KubectlSettings>(context).RunWithOutput(settings, KubectlArguments.Kustomize(settings, directory));

    /// <summary>Applies; a failure names the server's reason (a missing namespace, a rejected field).</summary>
    public static void KubectlApply(this ICakeContext context, KubectlApplySettings settings, string file) =>
        Tool<KubectlApplySettings>(context)
            .ExecuteReportingErrors(
                settings,
                KubectlArguments.Apply(settings, file),
                line => context.Log.Error("{0}", line)
            );

    public static void KubectlSetImage(
        this ICakeContext context,
        KubectlSettings settings,
        string resource,
        string container,
        string image
    ) =>
        Tool<KubectlSettings>(context)
            .Execute(settings, KubectlArguments.SetImage(settings, resource, container, image));

    /// <summary>Waits for the rollout; false when it did not complete in time (the caller decides to undo).</summary>
    public static bool KubectlRolloutStatus(
        this ICakeContext context,
        KubectlSettings settings,
        string resource,
        TimeSpan timeout
    ) =>
        Tool<KubectlSettings>(context)
            .RunForExitCode(settings, KubectlArguments.RolloutStatus(settings, resource, timeout)) == 0;

    public static void KubectlRolloutUndo(this ICakeContext context, KubectlSettings settings, string resource) =>
        Tool<KubectlSettings>(context).Execute(settings, KubectlArguments.RolloutUndo(settings, resource));

    public static void KubectlRolloutRestart(this ICakeContext context, KubectlSettings settings, string resource) =>
        Tool<KubectlSettings>(context).Execute(settings, KubectlArguments.RolloutRestart(settings, resource));

    public static string KubectlEvents(this ICakeContext context, KubectlSettings settings, string kind, string name) =>
        Tool<KubectlSettings>(context).RunWithOutput(settings, KubectlArguments.Events(settings, kind, name));

    public static IReadOnlyList<string> KubectlPodNames(
        this ICakeContext context,
        KubectlSettings settings,
        IReadOnlyDictionary<string, string> selector
    ) =>
        Tool<KubectlSettings>(context)
            .RunWithOutput(settings, KubectlArguments.PodNames(settings, selector))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.StartsWith("pod/", StringComparison.Ordinal) ? n[4..] : n)
            .ToList();

    public static string KubectlLogs(this ICakeContext context, KubectlSettings settings, string pod, int tail = 100) =>
        Tool<KubectlSettings>(context).RunWithOutput(settings, KubectlArguments.Logs(settings, pod, tail));

    private static CliTool<T> Tool<T>(ICakeContext context)
        where T : KubectlSettings => new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
