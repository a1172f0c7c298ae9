using Ticketing.Testing;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// The whole platform as real processes on the suite's own servers: <paramref name="instances"/> processes of Catalog,
/// Orders, Tickets, Insights and Queue and <paramref name="gateways"/> gateway processes (more than one behind a
/// <see cref="GatewayBalancer"/>, each allowing its share of the rate limits), every service reaching RabbitMQ through a
/// <see cref="TcpProxy"/> the test can cut. Any process can be killed (SIGKILL) and started again with the same settings.
/// </summary>
public sealed class ChaosPlatform(OwnServers servers, int instances, int gateways = 1) : IAsyncDisposable
{
    public const string GatewayProject = "gateway/Ticketing.Gateway.csproj";

    private readonly Dictionary<string, IsolatedDatabase> databases = [];
    private readonly Dictionary<string, List<ProcessHost>> hosts = [];
    private readonly Dictionary<string, Dictionary<string, string?>> settingsOf = [];
    private IsolatedVirtualHost bus = null!;

    public TcpProxy BrokerPath { get; private set; } = null!;

    private readonly List<ProcessHost> gatewayHosts = [];
    private GatewayBalancer? balancer;

    /// <summary>The first gateway process (the only one unless the platform has several).</summary>
    public ProcessHost Gateway => gatewayHosts[0];

    /// <summary>Every gateway process, in the balancer's order.</summary>
    public IReadOnlyList<ProcessHost> Gateways => gatewayHosts;

    /// <summary>Where fans connect: the balancer when there are several gateways, else the gateway itself.</summary>
    public Uri Entry => balancer?.Address ?? Gateway.Address;

    /// <summary>Connections the balancer sent on to another gateway because one refused them.</summary>
    public int Failovers => balancer?.Failovers ?? 0;

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
        gatewayHosts.AddRange(await Task.WhenAll(Enumerable.Range(1, gateways).Select(StartGatewayAsync)));
        if (gateways > 1)
        {
            balancer = new GatewayBalancer(gatewayHosts.Select(host => host.Address));
        }
    }

    private Task<ProcessHost> StartGatewayAsync(int ordinal) =>
        ProcessHost.StartAsync(gateways == 1 ? "gateway" : $"gateway-{ordinal}", GatewayProject, settingsOf["gateway"], TimeSpan.FromMinutes(3));

    /// <summary>Starts a killed instance (or the gateway) again with its settings on a new port, and re-points the gateway.</summary>
    public async Task<ProcessHost> RestartAsync(ProcessHost dead)
    {
        if (gatewayHosts.IndexOf(dead) is var deadGateway and >= 0)
        {
            var gateway = await StartGatewayAsync(deadGateway + 1);
            gatewayHosts[deadGateway] = gateway;
            balancer?.Route(gatewayHosts.Select(host => host.Address));
            return gateway;
        }

        var service = dead.Name[..dead.Name.LastIndexOf('-')];
        var project = ScaledPlatformFixture.ServiceKinds.Single(kind => kind.Name == service).Project;
        var fresh = await ProcessHost.StartAsync(dead.Name, project, settingsOf[dead.Name], TimeSpan.FromMinutes(3));
        var list = hosts[service];
        list[list.IndexOf(dead)] = fresh;

        // The gateways know instances by address: start each again pointing at the new one, one after the other (with
        // several behind the balancer, the others serve meanwhile).
        settingsOf["gateway"] = GatewaySettings();
        for (var index = 0; index < gatewayHosts.Count; index++)
        {
            await gatewayHosts[index].DisposeAsync();
            gatewayHosts[index] = await StartGatewayAsync(index + 1);
            balancer?.Route(gatewayHosts.Select(host => host.Address));
        }

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

            // Each of N gateways allows limit / N: the drop's fans are far below it either way.
            ["Gateway:Replicas"] = gateways.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

    /// <summary>What to look at when a case goes wrong: every process's last log lines and the broker's queues.</summary>
    public async Task<string> DiagnosticsAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var host in gatewayHosts.Concat(hosts.Values.SelectMany(list => list)))
        {
            text.AppendLine($"--- {host.Name} ({(host.HasExited ? "exited" : "running")}):").AppendLine(host.LogTail(25));
        }

        try
        {
            var management = servers.Endpoints.RabbitMqManagement;
            using var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
            text.AppendLine("--- queues (name, messages, unacknowledged, consumers, state):")
                .AppendLine(await http.GetStringAsync(
                    $"api/queues/{Uri.EscapeDataString(VirtualHost)}?columns=name,messages,messages_unacknowledged,consumers,state"));
        }
        catch (Exception exception)
        {
            text.AppendLine($"queues unavailable: {exception.Message}");
        }

        return text.ToString();
    }

    /// <summary>Per process, how many of its last log lines say the outbox relay's publish failed and was retried.</summary>
    public string RelayRetries() => string.Join(", ", hosts.Values.SelectMany(list => list)
        .Select(host => $"{host.Name} {host.LogTail(400).Split('\n').Count(line => line.Contains("failed (attempt", StringComparison.Ordinal))}"));

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Entry, Timeout = TimeSpan.FromSeconds(30) };
        return token is null ? client : client.WithToken(token);
    }

    /// <summary>Rows of a SQL query on a service's database.</summary>
    public Task<IReadOnlyList<object[]>> QueryAsync(string service, string sql) => databases[service].QueryAsync(sql);

    public async ValueTask DisposeAsync()
    {
        if (balancer is not null)
        {
            await balancer.DisposeAsync();
        }

        foreach (var gateway in gatewayHosts)
        {
            await gateway.DisposeAsync();
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
