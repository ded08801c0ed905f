using System.Diagnostics;

namespace Pipeline.Testing;

/// <summary>
/// A real S3-compatible server (s3rver from npm) on a free loopback port, one per test process. It is
/// installed by the TestTools target and killed when the process exits. Keys are s3rver's built-in pair.
/// </summary>
public sealed class S3rverServer
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public static readonly string[] Buckets = ["dvc", "datasets"];

    private static readonly Lazy<Task<(S3rverServer? Server, string? Reason)>> Shared = new(StartAsync);

    private S3rverServer(string endpoint) => Endpoint = endpoint;

    public string Endpoint { get; }

    /// <summary>The shared server, or the reason it cannot run here (tests skip with it).</summary>
    public static Task<(S3rverServer? Server, string? Reason)> GetAsync() => Shared.Value;

    private static async Task<(S3rverServer?, string?)> StartAsync()
    {
        if (TestTools.Missing("node", "s3rver") is { } missing)
        {
            return (null, missing);
        }

        var folder = TestTools.Locate("s3rver")!;

        var data = Directory.CreateTempSubdirectory("pipeline-s3rver-").FullName;
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var argument in new[]
            {
                Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js"),
                "-d",
                data,
                "-a",
                "127.0.0.1",
                "-p",
                port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--allow-mismatched-signatures",
                "--silent",
            }
        )
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var bucket in Buckets)
        {
            start.ArgumentList.Add("--configure-bucket");
            start.ArgumentList.Add(bucket);
        }

        var process = Process.Start(start)!;
        var log = ProcessLog.Capture(process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException) { }
        };

        await LoopbackPort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => log.ToString());
        return (new S3rverServer($"http://127.0.0.1:{port}"), null);
    }
}
