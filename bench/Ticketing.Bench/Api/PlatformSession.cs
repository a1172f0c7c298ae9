using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Api;

/// <summary>
/// The running platform as a benchmark uses it, opened and closed together: its HTTP API through the gateway
/// (<see cref="Client"/>), its broker's management API (<see cref="Broker"/>) and the outcome of its orders
/// (<see cref="Orders"/>).
/// </summary>
public sealed class PlatformSession : IAsyncDisposable
{
    private PlatformSession(Servers servers, PlatformClient client, RabbitMqManagement broker, OrderMessages orders)
    {
        Servers = servers;
        Client = client;
        Broker = broker;
        Orders = orders;
    }

    public Servers Servers { get; }

    public PlatformClient Client { get; }

    public RabbitMqManagement Broker { get; }

    public OrderMessages Orders { get; }

    /// <param name="connections">The most requests the benchmark keeps in flight at once.</param>
    /// <param name="report">Where the database server's settings and sizes are written, beside the machine's.</param>
    public static async Task<PlatformSession> StartAsync(Servers servers, int connections, Report report, CancellationToken cancellationToken)
    {
        report.Line(await DatabaseServer.DescribeAsync(servers, cancellationToken));
        var client = new PlatformClient(servers.Gateway, connections);
        var broker = new RabbitMqManagement(servers.RabbitMqManagement, servers.VirtualHost);
        var orders = await OrderMessages.StartAsync(servers, cancellationToken);
        await client.WarmUpAsync(connections, cancellationToken);
        return new PlatformSession(servers, client, broker, orders);
    }

    /// <summary>A concert of <paramref name="venue"/>, published, its inventory built by Tickets.</summary>
    public async Task<Guid> ConcertAsync(Report report, Venue venue, string purpose, CancellationToken cancellationToken)
    {
        var concertId = await Client.PublishConcertAsync(venue, $"Bench {RunInfo.Tag} {purpose}", cancellationToken);
        var built = await Client.WaitForInventoryAsync(concertId, cancellationToken);
        report.Line($"concert {concertId} ({purpose}): inventory of {venue.Capacity:N0} seats built {built.TotalSeconds:F1} s after publishing");
        return concertId;
    }

    /// <summary>Waits until the broker's queues are empty (earlier work done), then starts measuring what a phase costs.</summary>
    /// <param name="started">Names of the processes the benchmark started itself (<see cref="SystemProcesses.Started"/>).</param>
    public async Task<CostMeter> MeasureAsync(IEnumerable<string> started, CancellationToken cancellationToken)
    {
        await Broker.WaitUntilQuietAsync(cancellationToken);
        return await CostMeter.StartAsync(Servers, Broker, started, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Orders.DisposeAsync();
        Broker.Dispose();
        Client.Dispose();
    }
}
