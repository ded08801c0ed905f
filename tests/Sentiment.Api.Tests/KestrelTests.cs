using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Testing;

namespace Sentiment.Api.Tests;

/// <summary>
/// The API on real Kestrel over loopback sockets: what the transport refuses (too slow, too short, bad framing,
/// too large) is the client's fault and answered as such, and metrics live on their own port.
/// </summary>
public sealed class KestrelTests(TrainedModel model) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly TempDirectory _folder = new("api-kestrel");
    private ApiFactory? _factory;

    public void Dispose()
    {
        _factory?.Dispose();
        _folder.Dispose();
    }

    /// <summary>Starts the API on two fresh loopback ports: the API's and the management port.</summary>
    private (int Api, int Management) Start(IDictionary<string, string?>? settings = null)
    {
        var (api, management) = (LoopbackPort.Free(), LoopbackPort.Free());
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Sentiment:ManagementPort"] = management.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _factory = new ApiFactory(model.ModelFolder, _folder.Combine("reviews.db"), all);
        _factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, api);
            kestrel.Listen(IPAddress.Loopback, management);
        });
        _factory.StartServer();
        return (api, management);
    }

    /// <summary>Sends raw request bytes, then (optionally after a pause) ends the sending side; returns the status line's code.</summary>
    private static async Task<(int Status, string Response)> RawAsync(
        int port,
        string head,
        byte[] body,
        bool endSending = false
    )
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal)));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        if (endSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(response.ToArray());
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal) && text.TrimEnd().EndsWith('}'))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // the server closed the connection after answering
        }

        var answer = Encoding.UTF8.GetString(response.ToArray());
        return (int.Parse(answer.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), answer);
    }

    [Fact]
    public async Task Body_ArrivingTooSlowly_Is408()
    {
        var (api, _) = Start(
            new Dictionary<string, string?>
            {
                ["Sentiment:MinRequestBodyGraceSeconds"] = "2",
                ["Sentiment:MinRequestBodyBytesPerSecond"] = "1000",
            }
        );

        var (status, response) = await RawAsync(
            api,
            "POST /api/predict HTTP/1.1\nHost: localhost\nContent-Type: application/json\nContent-Length: 1000\n\n",
            "{\"text\": \"slo"u8.ToArray()
        );

        status.ShouldBe(408, response);
        response.ShouldContain("application/problem+json");
    }

    [Fact]
    public async Task Body_ShorterThanItsContentLength_Is400()
    {
        var (api, _) = Start();

        // The client stops sending early. Kestrel no longer writes to a connection its client closed, so the verdict
        // is read where an operator reads it: the request's log line.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, api);
            var stream = client.GetStream();
            await stream.WriteAsync(
                Encoding.ASCII.GetBytes(
                    "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\": \"short\"}"
                )
            );
            client.Client.Shutdown(SocketShutdown.Send);
            _ = await stream.ReadAtLeastAsync(new byte[1024], 1, throwOnEndOfStream: false);
        }

        await Eventually.TrueAsync(
            () =>
                _factory!
                    .Logs.ToString()
                    .Contains("\"RequestPath\":\"/api/predict\",\"StatusCode\":", StringComparison.Ordinal),
            "the request's log line"
        );
        _factory!.Logs.ToString().ShouldContain("\"RequestPath\":\"/api/predict\",\"StatusCode\":400");
    }

    [Fact]
    public async Task Body_WithBadChunkFraming_Is400()
    {
        var (api, _) = Start();

        var (status, response) = await RawAsync(
            api,
            "POST /api/predict HTTP/1.1\nHost: localhost\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n",
            "zz\r\n{\"text\": \"x\"}\r\n0\r\n\r\n"u8.ToArray()
        );

        status.ShouldBe(400, response);
    }

    [Fact]
    public async Task Body_ChunkedOverTheLimit_Is413()
    {
        var (api, _) = Start();
        var json = $"{{\"text\": \"{new string('a', 6000)}\"}}";
        var chunked = new StringBuilder();
        for (var at = 0; at < json.Length; at += 1000)
        {
            var piece = json.Substring(at, Math.Min(1000, json.Length - at));
            chunked.Append($"{piece.Length:x}\r\n{piece}\r\n");
        }

        chunked.Append("0\r\n\r\n");

        var (status, response) = await RawAsync(
            api,
            "POST /api/predict HTTP/1.1\nHost: localhost\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n",
            Encoding.ASCII.GetBytes(chunked.ToString())
        );

        status.ShouldBe(413, response);
        response.ShouldContain("application/problem+json");
    }

    [Fact]
    public async Task Metrics_OnlyOnTheManagementPort_AndNothingElseThere()
    {
        var (api, management) = Start();
        using var http = new HttpClient();

        (await http.GetAsync($"http://127.0.0.1:{api}/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync($"http://127.0.0.1:{api}/api/movies")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetStringAsync($"http://127.0.0.1:{management}/metrics")).ShouldContain("http_request_duration");
        (await http.GetAsync($"http://127.0.0.1:{management}/api/movies")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The port is the socket's, not the Host header's.
        var spoofed = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api}/metrics");
        spoofed.Headers.Host = $"127.0.0.1:{management}";
        (await http.SendAsync(spoofed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
