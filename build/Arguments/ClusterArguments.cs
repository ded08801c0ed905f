namespace Pipeline.Build.Arguments;

/// <summary>Which cluster Deploy talks to, and what it renders.</summary>
public static class ClusterArguments
{
    public static readonly BuildArgument<string> Overlay = new(
        "overlay",
        "dev",
        "the kustomize overlay under k8s/overlays/",
        "NAME"
    );

    public static readonly BuildArgument<string?> Namespace = new(
        "namespace",
        null,
        "the namespace (default: the one each manifest names)",
        "NAME"
    );

    public static readonly BuildArgument<string?> KubeContext = new("context", null, "the kubeconfig context", "NAME");

    public static readonly BuildArgument<string?> Kubeconfig = new(
        "kubeconfig",
        null,
        "the kubeconfig file",
        "FILE",
        environmentVariable: "KUBECONFIG"
    );

    public static readonly BuildArgument<TimeSpan> RolloutTimeout = new(
        "rollout-timeout",
        TimeSpan.FromSeconds(300),
        "how long each rollout may take",
        "SECONDS",
        defaultText: "300"
    );

    public static readonly BuildFlag DryRun = new(
        "dry-run",
        "print the rendered manifests and the kubectl commands; touch no cluster"
    );
}
