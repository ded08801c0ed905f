using System.Net;
using System.Net.Sockets;

namespace Pipeline.Testing;

/// <summary>
/// A loopback TCP proxy in front of a real server, for outage tests: <see cref="Cut"/> drops every connection and
/// refuses new ones (the server looks down to its clients), <see cref="Restore"/> lets them through again. The
/// server itself keeps running, so one server serves the whole test run.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private volatile bool _cut;
    private long _upstreamBudget = long.MaxValue;

    public TcpProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut()
    {
        _cut = true;
        lock (_lock)
        {
            foreach (var client in _open)
            {
                Reset(client);
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    /// <summary>
    /// Lets <paramref name="bytes"/> more bytes through towards the server, then cuts: a client killed mid-request,
    /// as the server sees it (part of a body, then a reset).
    /// </summary>
    public void CutAfterUpstreamBytes(long bytes) => Interlocked.Exchange(ref _upstreamBudget, bytes);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                Reset(client);
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    /// <summary>Closes with a reset, as a dead host's network does; a connection already gone is left alone.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // closed meanwhile by its own pipe
        }

        client.Dispose();
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target);
            lock (_lock)
            {
                _open.Add(client);
                _open.Add(server);
            }

            using var clientStream = client.GetStream();
            using var serverStream = server.GetStream();
            await Task.WhenAny(UpstreamAsync(clientStream, serverStream), serverStream.CopyToAsync(clientStream));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // a cut connection: both ends go
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
        }
    }

    private async Task UpstreamAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            var budget = Interlocked.Add(ref _upstreamBudget, -read) + read;
            if (budget < read)
            {
                await to.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, budget)));
                await to.FlushAsync();
                Cut();
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
