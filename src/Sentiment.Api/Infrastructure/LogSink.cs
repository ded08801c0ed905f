using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// Where the JSON log lines go: a host's writer (the tests), or stdout through a buffer flushed every interval and at
/// shutdown (the service wraps it in Serilog's async sink, so requests never wait for it). Each event is formatted
/// into a string first and written with one call under the writer's lock, so concurrent events never interleave: a
/// formatter writing piece by piece into a shared writer cut lines into each other under load. One write call per
/// line to an unbuffered stdout cost a third of the prediction throughput; the buffer delays lines by at most the
/// flush interval.
/// </summary>
public sealed class LogSink : Serilog.Core.ILogEventSink, IDisposable
{
    [ThreadStatic]
    private static StringWriter? _line;

    private readonly TextWriter _writer;
    private readonly CompactJsonFormatter _format = new();
    private readonly Timer? _flush;

    public LogSink(TextWriter writer, TimeSpan? flushEvery = null)
    {
        _writer = TextWriter.Synchronized(writer);
        // Through the synchronized wrapper: a flush must not run inside a write on another thread.
        _flush = flushEvery is { } every ? new Timer(_ => _writer.Flush(), null, every, every) : null;
    }

    public static LogSink BufferedStdout() =>
        new(
            new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024)
            {
                AutoFlush = false,
            },
            TimeSpan.FromMilliseconds(200)
        );

    public void Emit(LogEvent logEvent)
    {
        var line = _line ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var text = line.GetStringBuilder();
        text.Clear();
        _format.Format(logEvent, line);
        _writer.Write(text.ToString());
        if (text.Capacity > 64 * 1024)
        {
            _line = null; // one huge event must not keep its buffer alive on the thread
        }
    }

    public void Dispose()
    {
        _flush?.Dispose();
        _writer.Flush();
    }
}
