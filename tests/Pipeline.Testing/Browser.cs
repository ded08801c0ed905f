namespace Pipeline.Testing;

/// <summary>Debian's Chromium for browser tests: installed by the TestTools target (never downloaded by a test tool).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Null when Chromium is there; otherwise why a browser test must skip.</summary>
    public static string? UnavailableReason => TestTools.Missing("chromium");

    /// <summary>The flags that keep headless Chromium off this machine's closed network.</summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];
}
