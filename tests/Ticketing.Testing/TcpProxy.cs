using System.Net.Sockets;

namespace Ticketing.Testing;

/// <summary>
/// A loopback TCP forwarder a test can cut and restore, to take the network path between a service and a
/// server away (every connection drops, new ones are refused) and give it back, without touching the server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly LoopbackTcpListener listener;
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private volatile bool cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(address => address.AddressFamily == AddressFamily.InterNetwork), targetPort);
        listener = new LoopbackTcpListener(ForwardAsync);
    }

    public int Port => listener.Port;

    /// <summary>Drops every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        cut = true;
        lock (open)
        {
            foreach (var client in open)
            {
                LoopbackTcpListener.Reset(client);
            }

            open.Clear();
        }
    }

    public void Restore() => cut = false;

    private async Task ForwardAsync(TcpClient inbound, CancellationToken stopping)
    {
        if (cut)
        {
            LoopbackTcpListener.Reset(inbound);
            return;
        }

        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(target, stopping);
            lock (open)
            {
                open.Add(inbound);
                open.Add(outbound);
            }

            await LoopbackTcpListener.PipeAsync(inbound, outbound, stopping);
        }
        catch (Exception)
        {
            // a cut or a closed peer: the other side sees the connection drop, which is the point
        }
        finally
        {
            lock (open)
            {
                open.Remove(inbound);
                open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await listener.DisposeAsync();
        Cut();
    }
}
