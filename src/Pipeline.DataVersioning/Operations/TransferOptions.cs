namespace Pipeline.DataVersioning.Operations;

/// <summary>How a push or pull talks to its remote.</summary>
public sealed record TransferOptions
{
    /// <summary>A remote name that overrides <c>core.remote</c> (an output's own <c>remote:</c> still wins).</summary>
    public string? RemoteName { get; init; }

    /// <summary>At most this many objects in flight; default: the remote's <c>jobs</c>, else 4 per core up to 16.</summary>
    public int? Jobs { get; init; }

    /// <summary>Where environment variables (AWS credentials) come from.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Receives progress lines for transfers that take over a second.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Checkout may overwrite workspace changes that are not in the cache.</summary>
    public bool Force { get; init; }
}
