using System.Text;
using Sentiment.Api.Infrastructure;
using Serilog;

namespace Sentiment.Api.Tests;

public sealed class LogSinkTests
{
    [Fact]
    public void Dispose_BufferedWriter_WritesEveryLineAsJson()
    {
        var stream = new MemoryStream();
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true)
        {
            AutoFlush = false,
        };
        var sink = new LogSink(writer, TimeSpan.FromHours(1));
        using (var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            log.Information("{EventType}: line {Number}", "test", 1);
            log.Information("{EventType}: line {Number}", "test", 2);
            stream.Length.ShouldBe(0); // buffered: nothing written yet
        }

        sink.Dispose();
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines.ShouldAllBe(l => l.Contains("\"EventType\":\"test\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FlushTimer_BufferedWriter_WritesWithoutDispose()
    {
        var stream = new MemoryStream();
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true)
        {
            AutoFlush = false,
        };
        using var sink = new LogSink(writer, TimeSpan.FromMilliseconds(20));
        var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        log.Information("{EventType}: one line", "test");

        await Pipeline.Testing.Eventually.TrueAsync(() => stream.Length > 0, "the timer to flush");
    }

    [Fact]
    public async Task Emit_ManyThreadsAtOnce_WritesEveryEventAsOneWholeLine()
    {
        var output = new StringWriter();
        var sink = new LogSink(output);
        var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var message = new string('x', 300);

        await Task.WhenAll(
            Enumerable
                .Range(0, 8)
                .Select(thread =>
                    Task.Run(() =>
                    {
                        for (var i = 0; i < 500; i++)
                        {
                            log.Information("{EventType}: {Thread} {Number} {Text}", "test", thread, i, message);
                        }
                    })
                )
        );

        sink.Dispose();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(4000);
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line); // throws on a line cut into another
            json.RootElement.GetProperty("Text").GetString().ShouldBe(message);
        }
    }
}
