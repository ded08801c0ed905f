using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Sentiment.Api.Infrastructure;

/// <summary>
/// Where the JSON log lines go: a host's writer (the tests), or stdout through a buffer flushed every
/// interval and at shutdown. One write call per line cost a third of the prediction throughput
/// when stdout is a file or pipe (as in a container); a buffer delays lines by at most that interval.
/// </summary>
public sealed class LogSink : Serilog.Core.ILogEventSink, IDisposable
{
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

    public void Emit(LogEvent logEvent) => _format.Format(logEvent, _writer);

    public void Dispose()
    {
        _flush?.Dispose();
        _writer.Flush();
    }
}
