using Ticketing.Catalog;
using Ticketing.Contracts.Catalog;

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
        var servers = await TestServers.GetAsync();
        database = await IsolatedDatabase.CreateAsync(servers, GetType().Name);
        Bus = await IsolatedVirtualHost.CreateAsync(servers, GetType().Name);
        Messages = await MessageRecorder.StartAsync(
            Bus.AmqpUri,
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
        await PlatformFixture.WaitUntilReadyAsync(Client, TimeSpan.FromSeconds(30));
    }

    public HttpClient Anonymous() => Catalog.CreateClient();

    public HttpClient Fan(string fanId) => Catalog.CreateClient().WithToken(TestTokens.Fan(fanId));

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Catalog.DisposeAsync();
        if (BrokerProxy is not null)
        {
            await BrokerProxy.DisposeAsync();
        }

        await Messages.DisposeAsync();
        await Bus.DisposeAsync();
        await database.DisposeAsync();
    }
}

public sealed class CatalogBehindBrokerProxyFixture : CatalogFixture
{
    protected override bool ThroughBrokerProxy => true;
}
