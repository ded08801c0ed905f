using Cake.Core;
using Cake.Core.IO;

namespace Pipeline.Cake.Tools.Kubectl;

/// <summary>Renders kubectl command lines: the global flags first, then the command.</summary>
public static class KubectlArguments
{
    public static ProcessArgumentBuilder Kustomize(KubectlSettings settings, string directory) =>
        Global(settings).Append("kustomize").AppendQuoted(directory);

    public static ProcessArgumentBuilder Apply(KubectlApplySettings settings, string file)
    {
        var args = Global(settings).Append("apply");
        if (settings.ServerSide)
        {
            args.Append("--server-side").AppendSwitchQuoted("--field-manager", "=", settings.FieldManager);
            if (settings.ForceConflicts)
            {
                args.Append("--force-conflicts");
            }
        }

        if (settings.DryRun is { Length: > 0 } dryRun)
        {
            args.Append($"--dry-run={dryRun}");
        }

        return args.AppendSwitchQuoted("-f", file);
    }

    public static ProcessArgumentBuilder SetImage(
        KubectlSettings settings,
        string resource,
        string container,
        string image
    ) => Global(settings).Append("set image").AppendQuoted(Resource(resource)).AppendQuoted($"{container}={image}");

    public static ProcessArgumentBuilder RolloutStatus(KubectlSettings settings, string resource, TimeSpan timeout) =>
        Global(settings)
            .Append("rollout status")
            .AppendQuoted(Resource(resource))
            .Append($"--timeout={(int)timeout.TotalSeconds}s");

    public static ProcessArgumentBuilder RolloutUndo(KubectlSettings settings, string resource) =>
        Global(settings).Append("rollout undo").AppendQuoted(Resource(resource));

    /// <summary>Only one named resource: a bare <c>rollout restart deployment</c> restarts every deployment in the namespace.</summary>
    public static ProcessArgumentBuilder RolloutRestart(KubectlSettings settings, string resource) =>
        Global(settings).Append("rollout restart").AppendQuoted(Resource(resource));

    /// <summary>
    /// The events of one object, oldest first, with their messages: <c>kubectl events</c>, whose LAST SEEN falls back
    /// to the event time and series (a custom column on lastTimestamp printed &lt;nil&gt; for scheduler events).
    /// </summary>
    public static ProcessArgumentBuilder Events(KubectlSettings settings, string kind, string name) =>
        Global(settings).Append("events").AppendSwitchQuoted("--for", "=", $"{kind}/{name}");

    /// <summary>The cluster's resource types, one a line: name, short names, apiVersion, namespaced, kind.</summary>
    public static ProcessArgumentBuilder ApiResources(KubectlSettings settings) =>
        Global(settings).Append("api-resources").Append("--no-headers");

    /// <summary>A Deployment's revision annotation, or a NotFound error.</summary>
    public static ProcessArgumentBuilder DeploymentRevision(KubectlSettings settings, string name) =>
        Global(settings)
            .Append("get")
            .AppendQuoted($"deployment/{name}")
            .AppendSwitchQuoted("-o", "=", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}");

    /// <summary>The names of the pods a selector matches, newest last.</summary>
    public static ProcessArgumentBuilder PodNames(
        KubectlSettings settings,
        IReadOnlyDictionary<string, string> selector
    ) =>
        Global(settings)
            .Append("get pods")
            .AppendSwitchQuoted("--selector", "=", string.Join(',', selector.Select(l => $"{l.Key}={l.Value}")))
            .AppendSwitchQuoted("--sort-by", ".metadata.creationTimestamp")
            .Append("-o name");

    public static ProcessArgumentBuilder Logs(KubectlSettings settings, string pod, int tail) =>
        Global(settings).Append("logs").AppendQuoted(pod).Append("--all-containers").Append($"--tail={tail}");

    private static ProcessArgumentBuilder Global(KubectlSettings settings)
    {
        var args = new ProcessArgumentBuilder();
        if (settings.Kubeconfig is { Length: > 0 } kubeconfig)
        {
            args.AppendSwitchQuoted("--kubeconfig", "=", kubeconfig);
        }

        if (settings.Context is { Length: > 0 } context)
        {
            args.AppendSwitchQuoted("--context", "=", context);
        }

        if (settings.Namespace is { Length: > 0 } ns)
        {
            args.AppendSwitchQuoted("--namespace", "=", ns);
        }

        return args;
    }

    /// <summary>A resource as <c>kind/name</c>; a kind alone would act on every object of that kind.</summary>
    private static string Resource(string resource)
    {
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == resource.Length - 1 || resource.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"kubectl: '{resource}' is not one resource; name it as kind/name, e.g. deployment/sentiment-api.",
                nameof(resource)
            );
        }

        return resource;
    }
}
