using Ticketing.Catalog;
using Ticketing.Gateway.Routing;
using Ticketing.Insights;
using Ticketing.Orders;
using Ticketing.Queue;
using Ticketing.Tickets;
using Ticketing.Topology;
using Xunit;

namespace Ticketing.Testing;

/// <summary>
/// The whole platform in the test process, on real servers: Catalog, Orders, Tickets, Insights and Queue listening on free
/// loopback ports, each with its own fresh database, all on one fresh RabbitMQ virtual host, and the gateway
/// in front of them. One per test class (<c>IClassFixture&lt;PlatformFixture&gt;</c>).
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> resources = [];

    public ServerEndpoints Servers { get; private set; } = null!;
    public IsolatedVirtualHost Bus { get; private set; } = null!;
    public ServiceHost<CatalogService> Catalog { get; private set; } = null!;
    public ServiceHost<OrdersService> Orders { get; private set; } = null!;
    public ServiceHost<TicketsService> Tickets { get; private set; } = null!;
    public ServiceHost<InsightsService> Insights { get; private set; } = null!;
    public ServiceHost<QueueService> Queue { get; private set; } = null!;
    public ServiceHost<GatewayService> Gateway { get; private set; } = null!;

    /// <summary>The settings the Orders host was started with, to start another one like it (crash tests).</summary>
    public IReadOnlyDictionary<string, string?> OrdersSettings { get; private set; } = null!;

    /// <summary>An anonymous client of the gateway, as a browser before sign-in would be.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.GetAsync();
        var purpose = GetType().Name;
        var databases = await Task.WhenAll(
            IsolatedDatabase.CreateAsync(Servers, "catalog"),
            IsolatedDatabase.CreateAsync(Servers, "orders"),
            IsolatedDatabase.CreateAsync(Servers, "tickets"),
            IsolatedDatabase.CreateAsync(Servers, "insights"),
            IsolatedDatabase.CreateAsync(Servers, "queue"));
        resources.AddRange(databases);
        Bus = await IsolatedVirtualHost.CreateAsync(Servers, purpose);
        resources.Add(Bus);

        Catalog = Track(new ServiceHost<CatalogService>(Configure("catalog", ServiceSettings(databases[0], Bus.AmqpUri)), listen: true)
        {
            ConfigureServices = services => ConfigureServices("catalog", services),
        });
        Orders = Track(new ServiceHost<OrdersService>(Configure("orders", ServiceSettings(databases[1], Bus.AmqpUri)), listen: true)
        {
            ConfigureServices = services => ConfigureServices("orders", services),
        });
        Tickets = Track(new ServiceHost<TicketsService>(Configure("tickets", ServiceSettings(databases[2], Bus.AmqpUri)), listen: true)
        {
            ConfigureServices = services => ConfigureServices("tickets", services),
        });
        Insights = Track(new ServiceHost<InsightsService>(Configure("insights", ServiceSettings(databases[3], Bus.AmqpUri)), listen: true)
        {
            ConfigureServices = services => ConfigureServices("insights", services),
        });
        Queue = Track(new ServiceHost<QueueService>(Configure("queue", ServiceSettings(databases[4], Bus.AmqpUri)), listen: true)
        {
            ConfigureServices = services => ConfigureServices("queue", services),
        });
        OrdersSettings = Orders.Settings;
        await Task.WhenAll(Catalog.StartAsync(), Orders.StartAsync(), Tickets.StartAsync(), Insights.StartAsync(), Queue.StartAsync());

        Gateway = Track(new ServiceHost<GatewayService>(GatewaySettings(), listen: GatewayListens));
        await Gateway.StartAsync();
        Client = Gateway.CreateClient();
        await WaitUntilReadyAsync(Client);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        // Hosts first (they hold connections), then their databases and virtual host: the reverse of the start.
        await Resources.DisposeInOrderAsync([.. Enumerable.Reverse(resources)]);
    }

    /// <summary>
    /// Whether the gateway listens on a real loopback port (for a browser) instead of only the in-memory test server;
    /// either way <see cref="Gateway"/>'s <c>CreateClient</c> works.
    /// </summary>
    protected virtual bool GatewayListens => false;

    /// <summary>Lets a fixture change a service's settings (<paramref name="service"/>: catalog, orders, tickets, insights, queue).</summary>
    protected virtual Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) => settings;

    /// <summary>Lets a fixture replace a service's dependencies (<paramref name="service"/>: as for <see cref="Configure"/>), e.g. the Orders card processor.</summary>
    protected virtual void ConfigureServices(string service, Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    /// <summary>Lets a fixture change the gateway's settings (rate limits, the development issuer).</summary>
    protected virtual Dictionary<string, string?> ConfigureGateway(Dictionary<string, string?> settings) => settings;

    /// <summary>A gateway client acting as one fan (a fan's token with <c>sub</c> = <paramref name="fanId"/>).</summary>
    public HttpClient Fan(string fanId) => Gateway.CreateClient().WithToken(TestTokens.Fan(fanId));

    /// <summary>A gateway client acting as an operator.</summary>
    public HttpClient Operator(string name = "operator-1") => Gateway.CreateClient().WithToken(TestTokens.Operator(name));

    /// <summary>Settings of a service host: its database, the bus, and short retries so tests do not wait.</summary>
    public static Dictionary<string, string?> ServiceSettings(IsolatedDatabase database, Uri amqp) => new()
    {
        ["ConnectionStrings:Postgres"] = database.ConnectionString,
        ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
        ["Messaging:RetryIntervalsMs:0"] = "50",
        ["Messaging:RetryIntervalsMs:1"] = "100",
        ["Messaging:RetryIntervalsMs:2"] = "200",
        // A checkout under a loaded 2-core test run can take a while; tests of the time-out set their own.
        ["Orders:Checkout:Timeout"] = "00:02:00",
        ["Tickets:Signing:Key"] = TestSigningKey,
        ["AdmissionPasses:Key"] = TestAdmissionPassKey,
        ["Auth:SigningKey"] = TestTokens.SigningKey,
    };

    /// <summary>The ticket-signing key of test hosts (a venue scanner in a test would hold the same).</summary>
    public const string TestSigningKey = "dGVzdC1vbmx5LXRpY2tldC1zaWduaW5nLWtleS0zMi1ieXRlcyE=";

    /// <summary>The admission-pass key of test hosts (Queue signs, Tickets and Orders verify).</summary>
    public const string TestAdmissionPassKey = "dGVzdC1vbmx5LWFkbWlzc2lvbi1wYXNzLWtleS0zMi1ieXRlcyE=";

    /// <summary>
    /// What every test gateway starts from: the test tokens' signing key, and rate limits out of the way (tests drive
    /// many requests of one fan, e.g. 50 concurrent checkouts with one key) unless a fixture sets them.
    /// </summary>
    public static Dictionary<string, string?> GatewayBaseSettings() => new()
    {
        ["Auth:SigningKey"] = TestTokens.SigningKey,
        ["Gateway:RateLimits:Fan:PermitLimit"] = "100000",
        ["Gateway:RateLimits:FanHolds:PermitLimit"] = "100000",
        ["Gateway:RateLimits:Anonymous:PermitLimit"] = "100000",
        ["Gateway:RateLimits:Queue:FanJoin:PermitLimit"] = "100000",
        ["Gateway:RateLimits:Queue:FanStatus:PermitLimit"] = "100000",
    };

    /// <summary>The gateway's settings for this platform (the services' addresses, limits out of the way), after <see cref="ConfigureGateway"/>.</summary>
    protected Dictionary<string, string?> GatewaySettings()
    {
        var settings = GatewayBaseSettings();
        settings[$"Services:{SystemLayout.Catalog.Name}"] = Catalog.Address.ToString();
        settings[$"Services:{SystemLayout.Orders.Name}"] = Orders.Address.ToString();
        settings[$"Services:{SystemLayout.Tickets.Name}"] = Tickets.Address.ToString();
        settings[$"Services:{SystemLayout.Insights.Name}"] = Insights.Address.ToString();
        settings[$"Services:{SystemLayout.Queue.Name}"] = Queue.Address.ToString();
        foreach (var service in SystemLayout.Services)
        {
            settings[$"ReverseProxy:Clusters:{service.Cluster}:HealthCheck:Active:Interval"] = "00:00:01";
        }

        return ConfigureGateway(settings);
    }

    private T Track<T>(T resource) where T : IAsyncDisposable
    {
        resources.Add(resource);
        return resource;
    }

    /// <summary>
    /// How long a fixture waits for a started service to report ready: 90 s, shared with the process-hosted fixtures.
    /// Start-up on the 2-core CI box runs up to four fixtures at once, each applying its Marten schema; a readiness
    /// probe once took 36 s there while the test process was short of threads (see tests/Directory.Build.props).
    /// </summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    public static async Task WaitUntilReadyAsync(HttpClient client, TimeSpan? timeout = null)
    {
        var budget = timeout ?? ReadyTimeout;
        var deadline = DateTime.UtcNow + budget;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            last = await response.Content.ReadAsStringAsync();
            await Task.Delay(200);
        }

        throw new TimeoutException($"Not ready after {budget}: {last}");
    }
}

public static class HttpClientJsonExtensions
{
    /// <summary>Reads a JSON body, failing with the body in the message when it is not what was expected.</summary>
    public static async Task<T> ReadJsonAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<T>(body, JsonOptions.Web)
                ?? throw new InvalidOperationException("Empty body");
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {body}", exception);
        }
    }
}

public static class JsonOptions
{
    public static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
