using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Testing;

namespace Ticketing.Platform.Tests;

/// <summary>
/// A host running the shared messaging wiring (<see cref="MessagingExtensions.AddMessaging"/>) on a virtual host of its
/// own on the real broker, with short in-place retries (10, 20, 40 ms) so that failures reach their end quickly.
/// </summary>
public abstract class MessagingHostTest(string endpointPrefix) : IAsyncLifetime
{
    protected IsolatedVirtualHost Bus { get; private set; } = null!;

    private IHost host = null!;

    protected IServiceProvider Services => host.Services;

    /// <summary>The services and consumers of the test.</summary>
    protected abstract void Configure(IServiceCollection services, IBusRegistrationConfigurator consumers);

    public async Task InitializeAsync()
    {
        Bus = await IsolatedVirtualHost.CreateAsync(await TestServers.GetAsync(), GetType().Name);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = Bus.AmqpUri.ToString(),
            ["Messaging:RetryIntervalsMs:0"] = "10",
            ["Messaging:RetryIntervalsMs:1"] = "20",
            ["Messaging:RetryIntervalsMs:2"] = "40",
        });
        builder.AddMessaging(endpointPrefix, consumers => Configure(builder.Services, consumers));
        host = builder.Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await Bus.DisposeAsync();
    }
}
