using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticketing.Contracts.Messaging;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Platform.Tests;

public sealed record PoisonPill(Guid Id);

public sealed record Parcel(Guid Id, bool Poisoned);

public sealed class AttemptLog
{
    public ConcurrentBag<Guid> PoisonAttempts { get; } = [];

    public ConcurrentBag<Guid> Delivered { get; } = [];
}

/// <summary>Takes parcels one at a time or in batches; a poisoned parcel always fails.</summary>
public sealed class ParcelConsumer(AttemptLog log, ILogger<ParcelConsumer> logger) : BatchConsumer<Parcel>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(Parcel message, CancellationToken cancellationToken)
    {
        if (message.Poisoned)
        {
            log.PoisonAttempts.Add(message.Id);
            throw new InvalidOperationException("This parcel cannot be delivered.");
        }

        log.Delivered.Add(message.Id);
        return Task.FromResult<IReadOnlyList<object>>([]);
    }
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
public sealed class Poison_messages() : MessagingHostTest("poison")
{
    protected override void Configure(IServiceCollection services, IBusRegistrationConfigurator consumers)
    {
        services.AddSingleton<AttemptLog>();
        consumers.AddConsumer<AlwaysFailingConsumer>();
        consumers.AddConsumer<ParcelConsumer>();
    }

    [Fact]
    public async Task A_message_whose_consumer_always_throws_ends_in_the_error_queue_after_its_retries()
    {
        var log = Services.GetRequiredService<AttemptLog>();
        var publisher = Services.GetRequiredService<IBus>();
        var pill = new PoisonPill(Guid.NewGuid());

        await publisher.Publish(pill);

        var dead = await ErrorQueueAsync("poison-always-failing_error", count: 1);
        var message = Assert.Single(dead);
        Assert.Contains(pill.Id.ToString(), message.GetProperty("payload").GetString());
        // One delivery plus the three configured retries, then no more: a second pill taken by the same consumer after
        // it goes the same way, and the first was not tried again meanwhile.
        Assert.Equal(4, log.PoisonAttempts.Count(id => id == pill.Id));
        var next = new PoisonPill(Guid.NewGuid());
        await publisher.Publish(next);
        await ErrorQueueAsync("poison-always-failing_error", count: 2);
        Assert.Equal(4, log.PoisonAttempts.Count(id => id == next.Id));
        Assert.Equal(4, log.PoisonAttempts.Count(id => id == pill.Id));
    }

    private Task<IReadOnlyList<System.Text.Json.JsonElement>> ErrorQueueAsync(string queue, int count) =>
        Polling.SettledAsync(() => Bus.Management.PeekAsync(Bus.Name, queue), dead => dead.Count >= count, TimeSpan.FromSeconds(20));

    [Fact]
    public async Task One_poisoned_message_of_a_batch_ends_in_the_error_queue_alone_and_the_rest_is_delivered()
    {
        var log = Services.GetRequiredService<AttemptLog>();
        var publisher = Services.GetRequiredService<IBus>();
        var parcels = Enumerable.Range(0, 6).Select(i => new Parcel(Guid.NewGuid(), Poisoned: i == 3)).ToList();

        await publisher.Publish(new MessageBatch<Parcel>(parcels));

        var poisoned = parcels[3];
        var message = Assert.Single(await ErrorQueueAsync("poison-parcel_error", count: 1));
        Assert.Contains(poisoned.Id.ToString(), message.GetProperty("payload").GetString());
        Assert.DoesNotContain(parcels[0].Id.ToString(), message.GetProperty("payload").GetString());
        Assert.Equal(parcels.Where(parcel => !parcel.Poisoned).Select(parcel => parcel.Id).Order(), log.Delivered.Distinct().Order());
    }
}
