using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Ticketing.Testing;

/// <summary>Where the test run's PostgreSQL and RabbitMQ are.</summary>
/// <param name="Postgres">Npgsql connection string of a superuser, to create databases.</param>
/// <param name="RabbitMq">AMQP URI with credentials; tests swap in their own virtual host.</param>
/// <param name="RabbitMqManagement">Management API base URI with credentials.</param>
public sealed record ServerEndpoints(string Postgres, Uri RabbitMq, Uri RabbitMqManagement);

/// <summary>
/// Finds the servers once per test run: from <c>TICKETING_TEST_POSTGRES</c>, <c>TICKETING_TEST_RABBITMQ</c> and
/// <c>TICKETING_TEST_RABBITMQ_MANAGEMENT</c> (set by <c>./ticketing test</c>, which starts both on loopback);
/// otherwise from Testcontainers when a Docker engine answers; otherwise it fails at once, saying what to do.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<ServerEndpoints>> Endpoints = new(FindOrStartAsync);

    public static Task<ServerEndpoints> GetAsync() => Endpoints.Value;

    private static async Task<ServerEndpoints> FindOrStartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("TICKETING_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("TICKETING_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("TICKETING_TEST_RABBITMQ_MANAGEMENT");
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbit) && !string.IsNullOrWhiteSpace(management))
        {
            return new ServerEndpoints(postgres, new Uri(rabbit), new Uri(management));
        }

        try
        {
            return await StartContainersAsync();
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException(
                "The integration tests need real PostgreSQL and RabbitMQ servers, and none were found. " +
                "Run the tests with `./ticketing test` (it installs and starts both on loopback and sets " +
                "TICKETING_TEST_POSTGRES, TICKETING_TEST_RABBITMQ and TICKETING_TEST_RABBITMQ_MANAGEMENT), " +
                "or start a Docker engine so the fixtures can use Testcontainers. " +
                $"Testcontainers said: {exception.Message}",
                exception);
        }
    }

    private static async Task<ServerEndpoints> StartContainersAsync()
    {
        const string user = "ticketing";
        var postgres = new PostgreSqlBuilder("postgres:15-alpine")
            .WithCommand("-c", "max_connections=300")
            .Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management-alpine")
            .WithUsername(user)
            .WithPassword(user)
            .WithPortBinding(15672, assignRandomHostPort: true)
            .Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());

        var host = rabbit.Hostname;
        return new ServerEndpoints(
            postgres.GetConnectionString(),
            new Uri($"amqp://{user}:{user}@{host}:{rabbit.GetMappedPublicPort(5672)}/"),
            new Uri($"http://{user}:{user}@{host}:{rabbit.GetMappedPublicPort(15672)}/"));
    }
}
