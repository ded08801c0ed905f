using System.Net;
using System.Net.Sockets;

namespace Pipeline.Testing;

public static class LoopbackPort
{
    /// <summary>A port the OS reports free on 127.0.0.1 right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port, polling; no fixed sleeps.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException(
                    $"nothing listened on 127.0.0.1:{port} within {timeout}: {ex.Message}. {diagnostics?.Invoke()}"
                );
            }
        }
    }
}
