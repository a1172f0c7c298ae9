namespace Ticketing.Topology;

/// <summary>
/// A backend service of the platform: its name (the gateway's <c>Services:{Name}</c> key and the resource name in the
/// dashboard), its project (relative to the repository root), its first instance's port and its own database.
/// Instance k (from 1) is named <c>{Name}-{k}</c> beyond the first and listens on <see cref="InstancePort"/>.
/// </summary>
public sealed record ServiceLayout(string Name, string Project, Port Port, string Database)
{
    /// <summary>The gateway's YARP cluster of this service (<c>ReverseProxy:Clusters:{Cluster}</c>), e.g. <c>tickets</c>.</summary>
    public string Cluster => Name.ToLowerInvariant();

    /// <summary>The dll's file name, as the build writes it (<c>Ticketing.Catalog.dll</c>).</summary>
    public string Dll => Path.GetFileNameWithoutExtension(Project) + ".dll";

    /// <summary>Instance <paramref name="ordinal"/>'s name: <c>Catalog</c>, <c>Catalog-2</c>, ...</summary>
    public string InstanceName(int ordinal) => ordinal == 1 ? Name : $"{Name}-{ordinal}";

    /// <summary>Instance <paramref name="ordinal"/>'s port: the first instance's port + 10·(k−1), e.g. 5101, 5111, 5121.</summary>
    public int InstancePort(int ordinal) => Port.Value + 10 * (ordinal - 1);
}

/// <summary>A port with the environment variable that changes it and its default (each worktree or machine picks its own).</summary>
public sealed record Port(string Variable, int Default)
{
    /// <summary>The port in effect: <see cref="Variable"/> when set to a number, else <see cref="Default"/>.</summary>
    public int Value => int.TryParse(Environment.GetEnvironmentVariable(Variable), out var port) ? port : Default;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The one description of the system's layout on a machine: which services run (and how many instances of each), on
/// which loopback ports, with which databases, behind the gateway, on which PostgreSQL and RabbitMQ servers, with
/// the Aspire dashboard. <c>./ticketing</c> starts the servers on <see cref="Postgres"/> and <see cref="RabbitMq"/>
/// (it reads the same variables); everything else is started by the AppHost from this class.
/// </summary>
public static class SystemLayout
{
    public static readonly ServiceLayout Catalog = new("Catalog", "services/Catalog/Ticketing.Catalog.csproj", new("TICKETING_CATALOG_PORT", 5101), "ticketing_catalog");
    public static readonly ServiceLayout Orders = new("Orders", "services/Orders/Ticketing.Orders.csproj", new("TICKETING_ORDERS_PORT", 5102), "ticketing_orders");
    public static readonly ServiceLayout Tickets = new("Tickets", "services/Tickets/Ticketing.Tickets.csproj", new("TICKETING_TICKETS_PORT", 5103), "ticketing_tickets");
    public static readonly ServiceLayout Insights = new("Insights", "services/Insights/Ticketing.Insights.csproj", new("TICKETING_INSIGHTS_PORT", 5104), "ticketing_insights");
    public static readonly ServiceLayout Queue = new("Queue", "services/Queue/Ticketing.Queue.csproj", new("TICKETING_QUEUE_PORT", 5105), "ticketing_queue");

    /// <summary>Every backend service, in start order. The gateway routes to each by its <see cref="ServiceLayout.Cluster"/>.</summary>
    public static readonly IReadOnlyList<ServiceLayout> Services = [Catalog, Orders, Tickets, Insights, Queue];

    /// <summary>The gateway's project: the one public door.</summary>
    public const string GatewayProject = "gateway/Ticketing.Gateway.csproj";

    public static readonly Port Gateway = new("TICKETING_GATEWAY_PORT", 8080);

    /// <summary>The gateway's Prometheus <c>/metrics</c>, never on its public port: the gateway's port + 1 unless set.</summary>
    public static int GatewayMetricsPort =>
        int.TryParse(Environment.GetEnvironmentVariable("TICKETING_GATEWAY_METRICS_PORT"), out var port) ? port : Gateway.Value + 1;

    public static readonly Port Postgres = new("TICKETING_PG_PORT", 55432);
    public static readonly Port RabbitMq = new("TICKETING_RABBIT_PORT", 55672);
    public static readonly Port RabbitMqManagement = new("TICKETING_RABBIT_MGMT_PORT", 55673);

    /// <summary>The Aspire dashboard (browser) and its OTLP receiver, where every process sends traces, logs and metrics.</summary>
    public static readonly Port Dashboard = new("TICKETING_DASHBOARD_PORT", 18888);

    public static readonly Port DashboardOtlp = new("TICKETING_DASHBOARD_OTLP_PORT", 18889);

    /// <summary>The AppHost's resource service, which the dashboard reads the resources from.</summary>
    public static readonly Port ResourceService = new("TICKETING_RESOURCE_SERVICE_PORT", 18890);

    /// <summary>Instances of each service (<c>TICKETING_REPLICAS</c>, 1 unless set).</summary>
    public static int Replicas =>
        int.TryParse(Environment.GetEnvironmentVariable("TICKETING_REPLICAS"), out var replicas) && replicas > 0 ? replicas : 1;

    public const string Loopback = "127.0.0.1";

    public static Uri Http(int port) => new($"http://{Loopback}:{port}/");

    /// <summary>The gateway's address.</summary>
    public static Uri GatewayUrl => Http(Gateway.Value);

    /// <summary>The addresses of a service's instances, as the gateway's <c>Services:{Name}</c> lists them (<c>;</c>-separated).</summary>
    public static IEnumerable<Uri> InstanceUrls(ServiceLayout service, int replicas) =>
        Enumerable.Range(1, replicas).Select(ordinal => Http(service.InstancePort(ordinal)));

    /// <summary>PostgreSQL as its superuser, without a database (the servers of <c>./ticketing</c> trust loopback).</summary>
    public static string PostgresServer => $"Host={Loopback};Port={Postgres.Value};Username=postgres";

    /// <summary>A service's connection string: its database, a pool of 40, and its instance's name as <c>application_name</c>.</summary>
    public static string PostgresConnection(string database, string applicationName) =>
        $"{PostgresServer};Database={database};Pooling=true;Maximum Pool Size=40;Application Name={applicationName}";

    public static Uri Amqp => new($"amqp://guest:guest@{Loopback}:{RabbitMq.Value}/");

    public static Uri RabbitMqManagementUrl => new($"http://guest:guest@{Loopback}:{RabbitMqManagement.Value}/");
}
