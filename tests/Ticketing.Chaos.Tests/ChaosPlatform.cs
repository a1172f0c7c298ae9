using Ticketing.Testing;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// The whole platform as real processes on the suite's own servers: <paramref name="instances"/> processes of Catalog,
/// Orders, Tickets and Insights and one gateway process, every service reaching RabbitMQ through a <see cref="TcpProxy"/>
/// the test can cut. Any process can be killed (SIGKILL) and started again with the same settings.
/// </summary>
public sealed class ChaosPlatform(OwnServers servers, int instances) : IAsyncDisposable
{
    public const string GatewayProject = "gateway/Ticketing.Gateway.csproj";

    private readonly Dictionary<string, IsolatedDatabase> databases = [];
    private readonly Dictionary<string, List<ProcessHost>> hosts = [];
    private readonly Dictionary<string, Dictionary<string, string?>> settingsOf = [];
    private IsolatedVirtualHost bus = null!;

    public TcpProxy BrokerPath { get; private set; } = null!;

    public ProcessHost Gateway { get; private set; } = null!;

    public OwnServers Servers => servers;

    /// <summary>The RabbitMQ virtual host the platform's services share.</summary>
    public string VirtualHost => bus.Name;

    public IReadOnlyList<ProcessHost> Instances(string service) => hosts[service];

    public IsolatedDatabase Database(string service) => databases[service];

    public async Task StartAsync()
    {
        foreach (var kind in ScaledPlatformFixture.ServiceKinds)
        {
            databases[kind.Name] = await IsolatedDatabase.CreateAsync(servers.Endpoints, kind.Name);
        }

        bus = await IsolatedVirtualHost.CreateAsync(servers.Endpoints, "chaos");
        BrokerPath = new TcpProxy("127.0.0.1", servers.AmqpPort);
        var amqp = new UriBuilder(bus.AmqpUri) { Port = BrokerPath.Port }.Uri;
        foreach (var ordinal in Enumerable.Range(1, instances))
        {
            foreach (var kind in ScaledPlatformFixture.ServiceKinds)
            {
                var name = $"{kind.Name}-{ordinal}";
                var settings = ScaledPlatformFixture.InstanceSettings(databases[kind.Name], amqp, name, maxPoolSize: 20);
                settings["Payments:Simulated:Latency"] = "00:00:00.020";
                settingsOf[name] = settings;
            }

            // The first instance of each service alone creates the schema and the queues; the others then start.
            var started = await Task.WhenAll(ScaledPlatformFixture.ServiceKinds.Select(kind =>
                ProcessHost.StartAsync($"{kind.Name}-{ordinal}", kind.Project, settingsOf[$"{kind.Name}-{ordinal}"], TimeSpan.FromMinutes(3))));
            foreach (var (kind, host) in ScaledPlatformFixture.ServiceKinds.Zip(started))
            {
                if (!hosts.TryGetValue(kind.Name, out var list))
                {
                    hosts[kind.Name] = list = [];
                }

                list.Add(host);
            }
        }

        settingsOf["gateway"] = GatewaySettings();
        Gateway = await ProcessHost.StartAsync("gateway", GatewayProject, settingsOf["gateway"], TimeSpan.FromMinutes(3));
    }

    /// <summary>Starts a killed instance (or the gateway) again with its settings on a new port, and re-points the gateway.</summary>
    public async Task<ProcessHost> RestartAsync(ProcessHost dead)
    {
        if (dead == Gateway)
        {
            Gateway = await ProcessHost.StartAsync("gateway", GatewayProject, settingsOf["gateway"], TimeSpan.FromMinutes(3));
            return Gateway;
        }

        var service = dead.Name[..dead.Name.LastIndexOf('-')];
        var project = ScaledPlatformFixture.ServiceKinds.Single(kind => kind.Name == service).Project;
        var fresh = await ProcessHost.StartAsync(dead.Name, project, settingsOf[dead.Name], TimeSpan.FromMinutes(3));
        var list = hosts[service];
        list[list.IndexOf(dead)] = fresh;

        // The gateway knows instances by address: start it again pointing at the new one.
        await Gateway.DisposeAsync();
        settingsOf["gateway"] = GatewaySettings();
        Gateway = await ProcessHost.StartAsync("gateway", GatewayProject, settingsOf["gateway"], TimeSpan.FromMinutes(3));
        return fresh;
    }

    private Dictionary<string, string?> GatewaySettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Gateway:RateLimits:Fan:PermitLimit"] = "100000",
            ["Gateway:RateLimits:FanHolds:PermitLimit"] = "100000",
            ["Gateway:RateLimits:Anonymous:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var kind in ScaledPlatformFixture.ServiceKinds)
        {
            settings[$"Services:{kind.Name}"] = string.Join(';', hosts[kind.Name].Where(host => !host.HasExited).Select(host => host.Address.ToString()));
            settings[$"ReverseProxy:Clusters:{kind.Name}:HealthCheck:Active:Interval"] = "00:00:01";
            settings[$"ReverseProxy:Clusters:{kind.Name}:HealthCheck:Active:Timeout"] = "00:00:02";
        }

        return settings;
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        return token is null ? client : client.WithToken(token);
    }

    /// <summary>Rows of a SQL query on a service's database.</summary>
    public Task<IReadOnlyList<object[]>> QueryAsync(string service, string sql) => databases[service].QueryAsync(sql);

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        foreach (var host in hosts.Values.SelectMany(list => list))
        {
            await host.DisposeAsync();
        }

        if (BrokerPath is not null)
        {
            await BrokerPath.DisposeAsync();
        }
    }
}
