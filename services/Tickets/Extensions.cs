using JasperFx.Events.Projections;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Ledger;
using Ticketing.Tickets.Messaging;
using Ticketing.Tickets.SeatState;
using Ticketing.Tickets.SoldOut;

namespace Ticketing.Tickets;

/// <summary>Names the Tickets service's assembly, for hosts and tests.</summary>
public sealed class TicketsService
{
    private TicketsService()
    {
    }
}

internal static class Extensions
{
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.AddMartenStore(options =>
            {
                // The concert's inventory is a small header with an inline snapshot. Seat ledgers have none: their
                // writer keeps the state in memory and reads the stream only to start or catch up.
                options.Projections.Snapshot<ConcertInventory>(SnapshotLifecycle.Inline);
                options.Events.AppendMode = JasperFx.Events.EventAppendMode.Quick;

                // A writer that lost the race for a ledger version waits for the winner's commit and is refused before
                // it takes a sequence number: no gap for the outbox relay to wait on.
                options.Events.UseExclusiveLockOnConcurrentAppends = true;

                // Hold and ticket documents are written with the ledger batch that changed them. A hold is written three
                // times in a sale (placed, checked out, sold), so it has only the indexes its readers need: a fan's own
                // holds are found by FanId (GET .../holds/mine), and the expiry runner's held holds past their time by a
                // partial index of the held ones only. A hold checked out or sold leaves that index, and its later
                // writes add entries to two indexes (the id's and the fan's), not four. Status is a column for the
                // index's condition, without an index of its own.
                options.ColumnWithoutIndex<Hold>(nameof(Hold.Status));
                options.Schema.For<Hold>()
                    .Duplicate(hold => hold.FanId)
                    .Duplicate(hold => hold.ExpiresAt, configure: index => index.Predicate = HoldExpiryRunner.HeldCondition);
                options.Schema.For<Ticket>().Duplicate(ticket => ticket.FanId).Duplicate(ticket => ticket.ConcertId);
                options.Schema.For<ConcertSoldOutState>();
            })
            .AddIntegrationEventRelay<TicketsIntegrationEvents>();

        builder.Services.AddOptions<HoldOptions>().BindConfiguration("Tickets:Holds");
        builder.Services.AddOptions<TicketSigningOptions>().BindConfiguration("Tickets:Signing").ValidateOnStart()
            .Validate(options => options.Key.Length > 0, "Tickets:Signing:Key (base64, 32+ bytes) is required.");
        builder.Services.AddSingleton<TicketCodes>();
        builder.AddAdmissionPasses();
        builder.Services.AddSingleton<HoldLocator>();
        builder.Services.AddSingleton<SeatLedgers>();
        builder.Services.AddOptions<SeatLedgerOptions>().BindConfiguration("Tickets:Ledgers");
        builder.Services.AddHostedService<IdleLedgerSweeper>();
        builder.Services.AddSingleton<HoldMetrics>();
        builder.Services.AddSingleton<SeatMetrics>();
        builder.Services.AddOptions<SeatStateOptions>().BindConfiguration("Tickets:SeatState");
        builder.Services.AddSingleton<ISeatStatusSource, SeatLedgerStatusSource>();
        builder.Services.AddSingleton<SeatStateFeed>();
        builder.Services.AddHostedService<HoldExpiryRunner>();
        builder.Services.AddOptions<SoldOutCheckOptions>().BindConfiguration("Tickets:SoldOut");
        builder.Services.AddSingleton<IConcertAvailability, SeatLedgerAvailability>();
        builder.Services.AddHostedService<ConcertSoldOutCheck>();
        builder.AddMessaging("tickets", bus =>
        {
            bus.AddConsumer<OpenInventoryConsumer>();
            bus.AddConsumer<StopSalesConsumer>();
            bus.AddConsumer<ConfirmHoldConsumer>();
            bus.AddConsumer<SellHoldConsumer>();
            bus.AddConsumer<ReturnHoldConsumer>();
        });
        return builder;
    }

    public static WebApplication MapTicketsApi(this WebApplication app)
    {
        // The seat gauges observe the ledgers from the start, before a first request creates them.
        app.Services.GetRequiredService<SeatMetrics>();
        app.MapInventory();
        app.MapSeatState();
        app.MapHolds();
        app.MapAdmission();
        return app;
    }
}
