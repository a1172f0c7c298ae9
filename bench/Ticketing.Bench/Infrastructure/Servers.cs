using MassTransit;
using Npgsql;
using Ticketing.Topology;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// Where the running system is, as options every benchmark accepts: <c>--gateway</c>, <c>--amqp</c>,
/// <c>--rabbitmq-management</c>, <c>--postgres</c> (without a database). The defaults are where
/// <c>./ticketing up -d</c> starts it: the system's layout (<see cref="SystemLayout"/>, the same <c>TICKETING_*_PORT</c> variables).
/// </summary>
public sealed record Servers(Uri Gateway, Uri Amqp, Uri RabbitMqManagement, string Postgres)
{
    public static Servers Read(BenchOptions options) => new(
        options.Uri("gateway", SystemLayout.GatewayUrl.ToString(), "the API gateway"),
        options.Uri("amqp", SystemLayout.Amqp.ToString(), "RabbitMQ (AMQP URI with credentials and virtual host)"),
        options.Uri("rabbitmq-management", SystemLayout.RabbitMqManagementUrl.ToString(), "RabbitMQ management API"),
        options.Text("postgres", SystemLayout.PostgresServer, "PostgreSQL, without a database", WithoutPassword));

    /// <summary>The first instance of <paramref name="service"/> itself, without the gateway.</summary>
    public static string Instance(ServiceLayout service) => SystemLayout.Http(service.InstancePort(1)).ToString();

    /// <summary>The RabbitMQ virtual host of <see cref="Amqp"/> ("/" when the path is empty).</summary>
    public string VirtualHost => Uri.UnescapeDataString(Amqp.AbsolutePath.Trim('/')) is { Length: > 0 } path ? path : "/";

    /// <summary>A connection pool on one database of the PostgreSQL server.</summary>
    public NpgsqlDataSource Database(string name, int maxPoolSize) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Postgres)
        {
            Database = name,
            MaxPoolSize = maxPoolSize,
            ApplicationName = "ticketing-bench",
        });

    /// <summary>
    /// A bus of the benchmark's own on <see cref="Amqp"/>, with publisher confirms like the services'
    /// (see <c>MessagingExtensions</c>); <paramref name="configure"/> adds its receive endpoints.
    /// </summary>
    public IBusControl CreateBus(Action<IRabbitMqBusFactoryConfigurator> configure)
    {
        var credentials = Amqp.UserInfo.Split(':', 2);
        return Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(Amqp.Host, (ushort)(Amqp.IsDefaultPort ? 5672 : Amqp.Port), VirtualHost, host =>
            {
                host.Username(credentials.Length == 2 ? Uri.UnescapeDataString(credentials[0]) : "guest");
                host.Password(credentials.Length == 2 ? Uri.UnescapeDataString(credentials[1]) : "guest");
                host.PublisherConfirmation = true;
            });
            configure(rabbit);
        });
    }

    private static string WithoutPassword(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }

        return builder.ConnectionString;
    }
}
