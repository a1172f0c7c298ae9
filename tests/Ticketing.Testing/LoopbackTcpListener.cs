using System.Net.Sockets;

namespace Ticketing.Testing;

/// <summary>
/// A TCP listener on a free loopback port that hands every client it accepts to a handler, until disposed: the accept
/// loop under the tests' network stand-ins (<see cref="TcpProxy"/>, the chaos suite's gateway balancer). The handler
/// owns the client and gets a token that is cancelled when the listener stops.
/// </summary>
public sealed class LoopbackTcpListener : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<TcpClient, CancellationToken, Task> handle;

    public LoopbackTcpListener(Func<TcpClient, CancellationToken, Task> handle)
    {
        this.handle = handle;
        listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Copies bytes both ways between two connected clients until either side closes, fails or is stopped.</summary>
    public static Task PipeAsync(TcpClient inbound, TcpClient outbound, CancellationToken cancellationToken)
    {
        var a = inbound.GetStream();
        var b = outbound.GetStream();
        return Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken));
    }

    /// <summary>Closes with a reset (linger 0) rather than a polite close: the peer sees the path fail, as when a network drops.</summary>
    public static void Reset(TcpClient client)
    {
        if (client.Client is { } socket)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        client.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }

            _ = handle(client, stopping.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        return ValueTask.CompletedTask;
    }
}
