using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Watcher.Tests;

/// <summary>Keeps every log line, so tests can check what operators would read.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    ) => _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
