using System.Net.Sockets;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// A layer-4 load balancer in front of the gateway processes, as a cloud balancer or a Kubernetes Service is: each new
/// client connection goes to the next gateway in turn, and to the one after it when that one refuses the connection (a
/// killed process), so fans carry on through the gateways still running. A connection already open to a gateway that
/// dies drops, as it would behind a real balancer; the fan's app sends the request again.
/// </summary>
public sealed class GatewayBalancer : IAsyncDisposable
{
    private readonly LoopbackTcpListener listener;
    private volatile Uri[] targets;
    private int next;
    private int failovers;

    public GatewayBalancer(IEnumerable<Uri> gateways)
    {
        targets = [.. gateways];
        listener = new LoopbackTcpListener(BalanceAsync);
    }

    public Uri Address => new($"http://127.0.0.1:{listener.Port}/");

    /// <summary>Connections refused by a gateway and sent to the next one.</summary>
    public int Failovers => failovers;

    /// <summary>The gateways new connections go to from now on (a restarted gateway listens on a new port).</summary>
    public void Route(IEnumerable<Uri> gateways) => targets = [.. gateways];

    private async Task BalanceAsync(TcpClient inbound, CancellationToken stopping)
    {
        using (inbound)
        {
            var gateways = targets;
            var first = (int)((uint)Interlocked.Increment(ref next) % (uint)gateways.Length);
            for (var tried = 0; tried < gateways.Length; tried++)
            {
                var gateway = gateways[(first + tried) % gateways.Length];
                using var outbound = new TcpClient();
                try
                {
                    await outbound.ConnectAsync(gateway.Host, gateway.Port, stopping);
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref failovers);
                    continue; // refused: this gateway is down, the next one takes the connection
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    await LoopbackTcpListener.PipeAsync(inbound, outbound, stopping);
                }
                catch (Exception)
                {
                    // the gateway or the client went away mid-connection: the client sees it drop
                }

                return;
            }

            // No gateway took it: a reset, as a balancer with no healthy target gives.
            LoopbackTcpListener.Reset(inbound);
        }
    }

    public ValueTask DisposeAsync() => listener.DisposeAsync();
}
