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
        Tool<KubectlSettings>(context)
            .ExecuteReportingErrors(
                settings,
                KubectlArguments.RolloutUndo(settings, resource),
                line => context.Log.Error("{0}", line)
            );

    public static void KubectlRolloutRestart(this ICakeContext context, KubectlSettings settings, string resource) =>
        Tool<KubectlSettings>(context).Execute(settings, KubectlArguments.RolloutRestart(settings, resource));

    /// <summary>
    /// The object's events as <c>kubectl events</c> lists them (its LAST SEEN reads the event time and series that
    /// scheduler events set, not only lastTimestamp). A diagnosis: it never fails, it says why it has nothing.
    /// </summary>
    public static string KubectlEvents(this ICakeContext context, KubectlSettings settings, string kind, string name) =>
        Diagnose(context, settings, KubectlArguments.Events(settings, kind, name), "events");

    /// <summary>The names of the pods a selector matches, newest last; none when kubectl cannot list them.</summary>
    public static IReadOnlyList<string> KubectlPodNames(
        this ICakeContext context,
        KubectlSettings settings,
        IReadOnlyDictionary<string, string> selector
    ) =>
        Tool<KubectlSettings>(context).TryRun(settings, KubectlArguments.PodNames(settings, selector))
            is (0, var names, _)
            ? names
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => n.StartsWith("pod/", StringComparison.Ordinal) ? n[4..] : n)
                .ToList()
            : [];

    /// <summary>
    /// A pod's logs. A diagnosis: a container still waiting to start (an image that cannot be pulled) has none, and
    /// the answer says so instead of failing.
    /// </summary>
    public static string KubectlLogs(this ICakeContext context, KubectlSettings settings, string pod, int tail = 100) =>
        Diagnose(context, settings, KubectlArguments.Logs(settings, pod, tail), "logs");

    /// <summary>
    /// A server-side dry run of an apply: every object goes to the API server, which validates and admits it and
    /// stores nothing. The error lines (kinds the server does not know, objects it refuses); none when all would apply.
    /// </summary>
    public static IReadOnlyList<string> KubectlApplyDryRun(
        this ICakeContext context,
        KubectlApplySettings settings,
        string file
    )
    {
        var dryRun = new KubectlApplySettings
        {
            Namespace = settings.Namespace,
            Context = settings.Context,
            Kubeconfig = settings.Kubeconfig,
            ToolPath = settings.ToolPath,
            ServerSide = settings.ServerSide,
            FieldManager = settings.FieldManager,
            ForceConflicts = settings.ForceConflicts,
            DryRun = "server",
        };
        var (exit, _, error) = Tool<KubectlApplySettings>(context).TryRun(dryRun, KubectlArguments.Apply(dryRun, file));
        return exit == 0
            ? []
            : [.. error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>Every kind the cluster serves, as <c>apiVersion/Kind</c> (<c>apps/v1/Deployment</c>, <c>v1/Service</c>).</summary>
    public static IReadOnlySet<string> KubectlServedKinds(this ICakeContext context, KubectlSettings settings) =>
        Tool<KubectlSettings>(context)
            .RunWithOutput(settings, KubectlArguments.ApiResources(settings))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length >= 4)
            .Select(columns => $"{columns[^3]}/{columns[^1]}")
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A Deployment's current revision; null when it does not exist (yet).</summary>
    public static long? KubectlDeploymentRevision(this ICakeContext context, KubectlSettings settings, string name) =>
        Tool<KubectlSettings>(context).TryRun(settings, KubectlArguments.DeploymentRevision(settings, name)) switch
        {
            (0, var revision, _) => long.TryParse(revision, out var number)
                ? number
                : throw new CakeException($"deployment/{name} has no revision annotation ('{revision}')"),
            (_, var output, var error) when $"{output}\n{error}".Contains("(NotFound)", StringComparison.Ordinal) =>
                null,
            (var exit, _, var error) => throw new CakeException(
                exit,
                $"kubectl could not read deployment/{name}: {error}"
            ),
        };

    private static string Diagnose(
        ICakeContext context,
        KubectlSettings settings,
        global::Cake.Core.IO.ProcessArgumentBuilder arguments,
        string what
    ) =>
        Tool<KubectlSettings>(context).TryRun(settings, arguments) switch
        {
            (0, var output, _) => output.Length > 0 ? output : $"(no {what})",
            (_, _, var error) => $"({what} unavailable: {error})",
        };

    private static CliTool<T> Tool<T>(ICakeContext context)
        where T : KubectlSettings => new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);
}
