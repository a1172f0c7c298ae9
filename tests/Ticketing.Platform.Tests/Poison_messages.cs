using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Testing;

namespace Ticketing.Platform.Tests;

public sealed record PoisonPill(Guid Id);

public sealed class AttemptLog
{
    public ConcurrentBag<Guid> PoisonAttempts { get; } = [];
}

public sealed class AlwaysFailingConsumer(AttemptLog log) : IConsumer<PoisonPill>
{
    public Task Consume(ConsumeContext<PoisonPill> context)
    {
        log.PoisonAttempts.Add(context.Message.Id);
        throw new InvalidOperationException("This consumer always fails.");
    }
}

/// <summary>The shared messaging wiring every service uses (<see cref="MessagingExtensions.AddMessaging"/>) on the real broker.</summary>
public sealed class Poison_messages : IAsyncLifetime
{
    private IsolatedVirtualHost bus = null!;
    private IHost host = null!;

    public async Task InitializeAsync()
    {
        bus = await IsolatedVirtualHost.CreateAsync(await TestServers.GetAsync(), nameof(Poison_messages));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = bus.AmqpUri.ToString(),
            ["Messaging:RetryIntervalsMs:0"] = "10",
            ["Messaging:RetryIntervalsMs:1"] = "20",
            ["Messaging:RetryIntervalsMs:2"] = "40",
        });
        builder.Services.AddSingleton<AttemptLog>();
        builder.AddMessaging("poison", configure => configure.AddConsumer<AlwaysFailingConsumer>());
        host = builder.Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await bus.DisposeAsync();
    }

    [Fact]
    public async Task A_message_whose_consumer_always_throws_ends_in_the_error_queue_after_its_retries()
    {
        var log = host.Services.GetRequiredService<AttemptLog>();
        var publisher = host.Services.GetRequiredService<IBus>();
        var pill = new PoisonPill(Guid.NewGuid());

        await publisher.Publish(pill);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<System.Text.Json.JsonElement> dead = [];
        while (DateTime.UtcNow < deadline && dead.Count == 0)
        {
            await Task.Delay(100);
            dead = await bus.Management.PeekAsync(bus.Name, "poison-always-failing_error");
        }

        var message = Assert.Single(dead);
        Assert.Contains(pill.Id.ToString(), message.GetProperty("payload").GetString());
        // One delivery plus the three configured retries, then no more.
        Assert.Equal(4, log.PoisonAttempts.Count(id => id == pill.Id));
        await Task.Delay(300);
        Assert.Equal(4, log.PoisonAttempts.Count(id => id == pill.Id));
    }
}
