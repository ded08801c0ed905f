using Cake.Core.Tooling;

namespace Pipeline.Cake.Tools.Kubectl;

/// <summary>
/// The global flags every kubectl command takes. The Cake.Kubectl addin lacks them, which forces every caller to
/// switch the current context of a shared kubeconfig; here they are settings of each call.
/// </summary>
public class KubectlSettings : ToolSettings, INamedToolSettings
{
    public string Executable { get; set; } = "kubectl";

    public string? Namespace { get; set; }

    public string? Context { get; set; }

    public string? Kubeconfig { get; set; }
}

/// <summary><c>apply --server-side</c> of a file, a folder, or standard input (<c>-</c>).</summary>
public sealed class KubectlApplySettings : KubectlSettings
{
    public bool ServerSide { get; set; } = true;

    /// <summary>The field manager of server-side apply, so our fields are ours and not kubectl's.</summary>
    public string FieldManager { get; set; } = "pipeline";

    /// <summary>Take over fields another manager owns (what a deploy that must win does).</summary>
    public bool ForceConflicts { get; set; }

    /// <summary><c>server</c> or <c>client</c>: validates without changing anything.</summary>
    public string? DryRun { get; set; }
}
