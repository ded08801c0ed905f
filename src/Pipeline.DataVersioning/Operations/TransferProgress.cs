using System.Diagnostics;
using System.Globalization;

namespace Pipeline.DataVersioning.Operations;

/// <summary>
/// Progress for anything that takes over a second: files and bytes done of the total, at most one line a
/// second, and a closing line if any was printed. Safe to call from parallel transfers.
/// </summary>
public sealed class TransferProgress(
    string verb,
    int totalFiles,
    long totalBytes,
    Action<string>? write,
    TimeSpan? interval = null
)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private TimeSpan _lastPrint = TimeSpan.Zero;
    private bool _printed;
    private int _files;
    private long _bytes;

    public int Files => _files;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Completed(long bytes)
    {
        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _bytes, bytes);
        var elapsed = _clock.Elapsed;
        if (write is null || elapsed < _interval || elapsed - _lastPrint < _interval)
        {
            return;
        }

        lock (_gate)
        {
            if (elapsed - _lastPrint >= _interval)
            {
                _lastPrint = elapsed;
                _printed = true;
                write(Line());
            }
        }
    }

    public void Finish()
    {
        if (_printed && write is not null)
        {
            write(Line() + " done");
        }
    }

    private string Line()
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{verb}: {_files}/{totalFiles} files, {Mb(Bytes)}/{Mb(totalBytes)} MB ({Mb((long)(Bytes / seconds))} MB/s)"
        );
    }

    private static string Mb(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture);
}
