using Ticketing.Catalog;

namespace Ticketing.Catalog.Tests;

/// <summary>
/// The Catalog on real servers with its own database and virtual host, and a recorder on the same virtual host
/// that hears every Catalog integration message and can publish the Orders messages the Catalog reacts to.
/// With <see cref="BrokerProxy"/> the Catalog reaches RabbitMQ through a proxy the test can cut.
/// </summary>
public class CatalogFixture : IAsyncLifetime
{
    private IsolatedDatabase database = null!;

    public IsolatedVirtualHost Bus { get; private set; } = null!;
    public ServiceHost<CatalogService> Catalog { get; private set; } = null!;
    /// <summary>An operator's client: operators read and write the catalog.</summary>
    public HttpClient Client { get; private set; } = null!;
    public MessageRecorder Messages { get; private set; } = null!;
    public TcpProxy? BrokerProxy { get; private set; }

    protected virtual bool ThroughBrokerProxy => false;

    public async Task InitializeAsync()
    {
        (database, Bus, Messages) = await IsolatedServers.CreateAsync(
            GetType().Name,
            typeof(ConcertPublished), typeof(ConcertCancelled), typeof(ProductPublished), typeof(ProductRestocked),
            typeof(StockReserved), typeof(StockReservationRejected), typeof(StockCommitted), typeof(StockReleased),
            typeof(ProductSoldOut), typeof(ProductBackInStock));

        var amqp = Bus.AmqpUri;
        if (ThroughBrokerProxy)
        {
            BrokerProxy = new TcpProxy(amqp.Host, amqp.Port);
            amqp = new UriBuilder(amqp) { Host = "127.0.0.1", Port = BrokerProxy.Port }.Uri;
        }

        Catalog = new ServiceHost<CatalogService>(PlatformFixture.ServiceSettings(database, amqp), listen: false);
        await Catalog.StartAsync();
        Client = Catalog.CreateClient().WithToken(TestTokens.Operator("catalog-operator"));
        await PlatformFixture.WaitUntilReadyAsync(Client);
    }

    public HttpClient Anonymous() => Catalog.CreateClient();

    public HttpClient Fan(string fanId) => Catalog.CreateClient().WithToken(TestTokens.Fan(fanId));

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Resources.DisposeInOrderAsync(Catalog, BrokerProxy, Messages, Bus, database);
    }
}

public sealed class CatalogBehindBrokerProxyFixture : CatalogFixture
{
    protected override bool ThroughBrokerProxy => true;
}

/// <summary>Reservation races: many fans' requests at once, through the real broker.</summary>
public static class ReservationRaces
{
    /// <summary>
    /// Publishes every request at once and waits for <paramref name="reserved"/> reservations and
    /// <paramref name="rejected"/> rejections among their orders (answers to a repeated request count again).
    /// </summary>
    public static async Task<(IReadOnlyList<StockReserved> Reserved, IReadOnlyList<StockReservationRejected> Rejected)> RaceAsync(
        this CatalogFixture catalog, IReadOnlyList<ReserveStock> requests, int reserved, int rejected)
    {
        var orders = requests.Select(request => request.OrderId).ToHashSet();
        await Task.WhenAll(requests.Select(request => catalog.Messages.Publisher.Publish(request)));
        return (
            await catalog.Messages.WaitForCountAsync<StockReserved>(m => orders.Contains(m.OrderId), reserved, TimeSpan.FromSeconds(120)),
            await catalog.Messages.WaitForCountAsync<StockReservationRejected>(m => orders.Contains(m.OrderId), rejected, TimeSpan.FromSeconds(120)));
    }
}
