using System.Diagnostics;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// The last lines a long-running helper process (a registry, an S3 server) wrote to stdout and stderr, for the
/// message when it fails to start. The two streams arrive on different threads, so every append takes a lock (two
/// unsynchronized appends once crashed the test host), and only the tail is kept: such a server logs every request
/// for the whole run.
/// </summary>
public sealed class ProcessLog
{
    private const int MaxChars = 64 * 1024;
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    private ProcessLog() { }

    /// <summary>Starts reading both streams of <paramref name="process"/> (started with both redirected).</summary>
    public static ProcessLog Capture(Process process)
    {
        var log = new ProcessLog();
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _text.AppendLine(line);
            if (_text.Length > MaxChars)
            {
                _text.Remove(0, _text.Length - MaxChars / 2);
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }
}
