using System.Diagnostics;
using System.Net.Sockets;
using Pipeline.DataVersioning.Operations;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>Pulls from Python's own <c>http.server</c>: HTTP/1.0, a new connection per request, a small listen queue.</summary>
[Trait("Category", "Integration")]
public sealed class HttpRemoteTests
{
    [SkippableFact]
    public async Task Pull_FromPythonHttpServerWithDefaultJobs_FetchesEveryObject()
    {
        var missing = TestTools.Missing("python3");
        Skip.If(missing is not null, missing);
        using var temp = new TempDirectory("http10");
        var producer = DvcRepository.Init(temp.Combine("producer"));
        File.WriteAllText(
            Path.Combine(producer.DvcDirectory, "config"),
            "[core]\n    remote = r\n['remote \"r\"']\n    url = ../../remote\n"
        );
        for (var i = 0; i < 300; i++)
        {
            temp.Write($"producer/set/{i:D3}.txt", $"file {i}\n");
        }

        producer = DvcRepository.Open(producer.Root);
        DataAdd.Add(producer, "set");
        await new DataTransfer(producer, new TransferOptions()).PushAsync(null);
        var port = LoopbackPort.Free();
        using var server = StartPythonHttpServer(temp.Combine("remote"), port);
        using var stop = new KillOnDispose(server);
        var consumer = DvcRepository.Init(temp.Combine("consumer"));
        File.WriteAllText(
            Path.Combine(consumer.DvcDirectory, "config"),
            $"[core]\n    remote = web\n['remote \"web\"']\n    url = http://127.0.0.1:{port}/\n"
        );
        File.Copy(Path.Combine(producer.Root, "set.dvc"), Path.Combine(consumer.Root, "set.dvc"));

        var result = await DataPull.PullAsync(DvcRepository.Open(consumer.Root), null, new TransferOptions());

        result.Fetched.ShouldBe(301);
        Directory.GetFiles(Path.Combine(consumer.Root, "set")).Length.ShouldBe(300);
    }

    private static Process StartPythonHttpServer(string folder, int port)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var argument in new[]
            {
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "--directory",
                folder,
                port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        )
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        ProcessLog.Capture(process);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", port);
                return process;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        process.Kill();
        throw new TimeoutException("python3 -m http.server did not start listening within 20 s");
    }

    private sealed class KillOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
