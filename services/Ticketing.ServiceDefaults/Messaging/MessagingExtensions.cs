using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:RabbitMq</c>, an <c>amqp://user:pass@host:port/vhost</c> URI):
    /// queues named <c>{service}-{consumer}</c> (classic or quorum, <c>Messaging:QueueType</c>), publisher confirms, retries with delays from configuration and
    /// then the endpoint's <c>_error</c> queue, so a poison message never blocks the ones behind it.
    /// The bus's health check is part of <c>/health/ready</c>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator> configure)
    {
        var address = new Uri(builder.Configuration.GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:RabbitMq is not set. Start the platform with ./ticketing up, or set ConnectionStrings__RabbitMq."));

        builder.Services.AddOptions<MessagingOptions>().BindConfiguration("Messaging");

        // Start-up waits until every queue is declared and bound: a message published the moment the host has
        // started must find its consumer's queue, not an exchange with nothing bound yet.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry(); // it would call out to the internet on every start
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configure(bus);
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                // The database or broker out of reach for a while must not dead-letter a paid order's sale: such
                // failures are retried with back-off for minutes (outer filter). Anything else is retried a few times
                // at once (inner filter) and then goes to the endpoint's _error queue, without blocking the others.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Exponential(options.TransientRetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
                    retry.Handle<Exception>(TransientFailures.IsTransient);
                });
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Intervals(options.EffectiveRetryIntervalsMs);
                    retry.Handle<Exception>(exception => !TransientFailures.IsTransient(exception));
                });
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = options.PrefetchCount;
                    if (options.QueueType == MessagingQueueType.Quorum)
                    {
                        rabbit.SetQuorumQueue(options.QuorumReplicationFactor);
                    }
                }
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var (user, password) = Credentials(address);
                rabbit.Host(address.Host, (ushort)(address.IsDefaultPort ? 5672 : address.Port), VirtualHost(address), host =>
                {
                    host.Username(user);
                    host.Password(password);
                    host.PublisherConfirmation = true;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    private static string VirtualHost(Uri address)
    {
        var path = Uri.UnescapeDataString(address.AbsolutePath.Trim('/'));
        return path.Length == 0 ? "/" : path;
    }

    private static (string User, string Password) Credentials(Uri address)
    {
        var parts = address.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }
}
