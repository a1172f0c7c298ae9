using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Testing;

namespace Ticketing.Platform.Tests;

public sealed record SaleToRecord(Guid Id);

/// <summary>A database that is down until <see cref="Restore"/>: every attempt meanwhile fails as PostgreSQL's shutdown does.</summary>
public sealed class FlakyDatabase
{
    private volatile bool down = true;

    public ConcurrentBag<Guid> Attempts { get; } = [];

    public ConcurrentBag<Guid> Recorded { get; } = [];

    public void Restore() => down = false;

    public void Record(Guid id)
    {
        Attempts.Add(id);
        if (down)
        {
            // What Npgsql throws for a command on a connection the server closed in `pg_ctl stop -m immediate`.
            throw new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
        }

        Recorded.Add(id);
    }
}

public sealed class SaleRecorder(FlakyDatabase database, ILogger<SaleRecorder> logger) : BatchConsumer<SaleToRecord>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(SaleToRecord message, CancellationToken cancellationToken)
    {
        database.Record(message.Id);
        return Task.FromResult<IReadOnlyList<object>>([]);
    }
}

/// <summary>
/// A message whose consumer meets the database down (a fail-over, a restart) outlasts the outage instead of going to the
/// <c>_error</c> queue after the short in-place retries (the chaos suite's PostgreSQL case lost in-flight orders to a
/// time-out that way).
/// </summary>
public sealed class Database_outages() : MessagingHostTest("outage")
{
    protected override void Configure(IServiceCollection services, IBusRegistrationConfigurator consumers)
    {
        services.AddSingleton<FlakyDatabase>();
        consumers.AddConsumer<SaleRecorder>();
    }

    [Fact]
    public async Task A_message_that_meets_the_database_down_is_handled_once_it_is_back_not_dead_lettered()
    {
        var database = Services.GetRequiredService<FlakyDatabase>();
        var sale = new SaleToRecord(Guid.NewGuid());

        await Services.GetRequiredService<IBus>().Publish(sale);

        // The outage lasts well past the in-place retries (10 + 20 + 40 ms): at least five attempts fail first.
        await Polling.UntilAsync(() => Task.FromResult(database.Attempts.Count(id => id == sale.Id) >= 5), TimeSpan.FromSeconds(30));
        Assert.Empty(await Bus.Management.PeekAsync(Bus.Name, "outage-sale-recorder_error"));
        database.Restore();

        await Polling.UntilAsync(() => Task.FromResult(database.Recorded.Contains(sale.Id)), TimeSpan.FromSeconds(60));
        Assert.Single(database.Recorded, id => id == sale.Id);
        Assert.Empty(await Bus.Management.PeekAsync(Bus.Name, "outage-sale-recorder_error"));
    }
}
