namespace Pipeline.Testing;

/// <summary>Debian's Chromium for browser tests: installed by the test setup when missing (never downloaded by a test tool).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (File.Exists(ChromiumPath))
        {
            return null;
        }

        if (Environment.UserName != "root")
        {
            return $"{ChromiumPath} is missing and installing it needs root (apt-get install chromium)";
        }

        var (exit, output) = ExternalTools.Run("apt-get", ["install", "-y", "-qq", "chromium"], TimeSpan.FromMinutes(8));
        if (exit != 0)
        {
            ExternalTools.Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(4));
            (exit, output) = ExternalTools.Run("apt-get", ["install", "-y", "-qq", "chromium"], TimeSpan.FromMinutes(8));
        }

        return exit == 0 && File.Exists(ChromiumPath) ? null : $"apt-get install chromium failed: {output.Trim()}";
    });

    /// <summary>Null when Chromium is there; otherwise why a browser test must skip.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    /// <summary>The flags that keep headless Chromium off this machine's closed network.</summary>
    public static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
}
