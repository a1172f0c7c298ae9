using Npgsql;
using Ticketing.Gateway.Routing;
using Ticketing.Topology;
using Xunit;

namespace Ticketing.Testing;

/// <summary>
/// The platform scaled out: <see cref="InstancesPerService"/> real processes of Catalog, Orders, Tickets, Insights and Queue
/// (<see cref="ProcessHost"/>), every instance of a service on the same fresh database, all on one fresh virtual host
/// with quorum queues, and the gateway in the test process balancing over all of them with health checks.
/// Each instance's database connections carry its name as <c>application_name</c> (e.g. <c>orders-2</c>), so a test
/// can see in <c>pg_locks</c> which instance runs the single-runner work.
/// </summary>
public class ScaledPlatformFixture : IAsyncLifetime
{
    /// <summary>Every service of the system's layout (<see cref="SystemLayout.Services"/>), by its gateway cluster name.</summary>
    public static readonly IReadOnlyList<ScaledService> ServiceKinds =
        [.. SystemLayout.Services.Select(service => new ScaledService(service.Cluster, service.Project))];

    private readonly List<IAsyncDisposable> resources = [];
    private readonly Dictionary<string, IsolatedDatabase> databases = [];
    private readonly Dictionary<string, List<ProcessHost>> instances = [];

    public virtual int InstancesPerService => 2;

    public ServerEndpoints Servers { get; private set; } = null!;
    public IsolatedVirtualHost Bus { get; private set; } = null!;
    public ServiceHost<GatewayService> Gateway { get; private set; } = null!;

    /// <summary>An anonymous client of the gateway.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The instances of a service (<c>catalog</c>, <c>orders</c>, <c>tickets</c>, <c>insights</c>, <c>queue</c>), killed ones included.</summary>
    public IReadOnlyList<ProcessHost> Instances(string service) => instances[service];

    /// <summary>The database every instance of <paramref name="service"/> shares.</summary>
    public IsolatedDatabase Database(string service) => databases[service];

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // nothing started may outlive a fixture that failed to start
            throw;
        }
    }

    private async Task StartAsync()
    {
        Servers = await TestServers.GetAsync();
        var purpose = GetType().Name;
        foreach (var kind in ServiceKinds)
        {
            databases[kind.Name] = await IsolatedDatabase.CreateAsync(Servers, kind.Name);
            resources.Add(databases[kind.Name]);
        }

        Bus = await IsolatedVirtualHost.CreateAsync(Servers, purpose);
        resources.Add(Bus);

        // The first instance of each service alone creates the schema and the queues; the others then start side by side.
        foreach (var ordinal in Enumerable.Range(1, InstancesPerService))
        {
            var starting = ServiceKinds.Select(kind => StartInstanceAsync(kind, ordinal)).ToList();
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                // Every process that did start is stopped with the fixture, also when another one failed to.
                resources.AddRange(starting.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result));
            }

            foreach (var (kind, host) in ServiceKinds.Zip(starting.Select(start => start.Result)))
            {
                if (!instances.TryGetValue(kind.Name, out var list))
                {
                    instances[kind.Name] = list = [];
                }

                list.Add(host);
            }
        }

        var gatewaySettings = PlatformFixture.GatewayBaseSettings();
        foreach (var kind in ServiceKinds)
        {
            var cluster = kind.Name;
            gatewaySettings[$"Services:{cluster}"] = string.Join(';', instances[cluster].Select(host => host.Address.ToString()));
            gatewaySettings[$"ReverseProxy:Clusters:{cluster}:HealthCheck:Active:Interval"] = "00:00:01";
            gatewaySettings[$"ReverseProxy:Clusters:{cluster}:HealthCheck:Active:Timeout"] = "00:00:02";
        }

        Gateway = new ServiceHost<GatewayService>(gatewaySettings, listen: false);
        resources.Add(Gateway);
        await Gateway.StartAsync();
        Client = Gateway.CreateClient();
        await PlatformFixture.WaitUntilReadyAsync(Client);
    }

    private Task<ProcessHost> StartInstanceAsync(ScaledService kind, int ordinal)
    {
        var name = $"{kind.Name}-{ordinal}";
        var settings = InstanceSettings(databases[kind.Name], Bus.AmqpUri, name, maxPoolSize: 30);
        settings["Logging:LogLevel:Ticketing"] = "Information";
        return ProcessHost.StartAsync(name, kind.Project, Configure(kind.Name, settings));
    }

    /// <summary>
    /// The settings of one instance of a service among several: its own application name and connection pool on the
    /// service's database, quorum queues, and warnings and errors only (the instances' logs are kept in memory for
    /// failure messages).
    /// </summary>
    public static Dictionary<string, string?> InstanceSettings(IsolatedDatabase database, Uri amqp, string name, int maxPoolSize)
    {
        var settings = PlatformFixture.ServiceSettings(database, amqp);
        settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            ApplicationName = name,
            MaxPoolSize = maxPoolSize,
        }.ConnectionString;
        settings["Messaging:QueueType"] = "Quorum";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        for (var i = resources.Count - 1; i >= 0; i--)
        {
            await resources[i].DisposeAsync();
        }
    }

    /// <summary>Lets a fixture change a service's settings (<paramref name="service"/>: catalog, orders, tickets, insights, queue).</summary>
    protected virtual Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) => settings;

    /// <summary>A gateway client acting as one fan.</summary>
    public HttpClient Fan(string fanId) => Gateway.CreateClient().WithToken(TestTokens.Fan(fanId));

    /// <summary>A gateway client acting as an operator.</summary>
    public HttpClient Operator(string name = "operator-1") => Gateway.CreateClient().WithToken(TestTokens.Operator(name));

    /// <summary>
    /// The advisory locks held in <paramref name="service"/>'s database, by lock key, with the instances
    /// (<c>application_name</c>) holding each: Marten's HotCold daemon lock and the <c>SingleInstanceWorker</c> timers.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> AdvisoryLockHoldersAsync(string service)
    {
        var database = databases[service];
        await using var connection = new NpgsqlConnection(Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (l.classid::bigint << 32) | l.objid::bigint AS key, a.application_name
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = @database)
            """,
            connection);
        command.Parameters.AddWithValue("database", database.Name);
        var holders = new Dictionary<long, List<string>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = reader.GetInt64(0);
            if (!holders.TryGetValue(key, out var names))
            {
                holders[key] = names = [];
            }

            names.Add(reader.GetString(1));
        }

        return holders.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value);
    }
}

/// <summary>A service the scaled platform runs several instances of.</summary>
public sealed record ScaledService(string Name, string Project);
