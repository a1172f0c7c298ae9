using JasperFx.Events;
using JasperFx.Events.Projections;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Messaging;
using Ticketing.Tickets.Seats;
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
                // Inline snapshots: the seat row, hold, allowance and ticket documents are current the moment a
                // change commits, which is what the next hold's checks read.
                options.Projections.Snapshot<ConcertInventory>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<SeatRow>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Hold>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<FanAllowance>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Ticket>(SnapshotLifecycle.Inline);
                // Quick appends skip a round trip per event, and the identity map hands the aggregates read by
                // FetchForWriting to the inline snapshots instead of loading them again at commit.
                options.Events.AppendMode = EventAppendMode.Quick;
                options.Events.UseIdentityMapForAggregates = true;

                // Rows of seats are read by concert only (seat map, a lane's chart).
                options.Schema.For<SeatRow>().Duplicate(row => row.ConcertId);
                options.Schema.For<Hold>().Duplicate(hold => hold.Status).Duplicate(hold => hold.ExpiresAt);
                options.Schema.For<Ticket>().Duplicate(ticket => ticket.FanId).Duplicate(ticket => ticket.ConcertId);
                options.Schema.For<ConcertSoldOutState>();
            })
            .AddIntegrationEventRelay<TicketsIntegrationEvents>();

        builder.Services.AddMemoryCache();
        builder.Services.AddOptions<HoldOptions>().BindConfiguration("Tickets:Holds");
        builder.Services.AddOptions<TicketSigningOptions>().BindConfiguration("Tickets:Signing").ValidateOnStart()
            .Validate(options => options.Key.Length > 0, "Tickets:Signing:Key (base64, 32+ bytes) is required.");
        builder.Services.AddSingleton<TicketCodes>();
        builder.AddAdmissionPasses();
        builder.Services.AddSingleton<ConcertInventories>();
        builder.Services.AddSingleton<HoldDesk>();
        builder.Services.AddSingleton<SeatBook>();
        builder.Services.AddHostedService<HoldExpiryRunner>();
        builder.Services.AddOptions<SoldOutCheckOptions>().BindConfiguration("Tickets:SoldOut");
        builder.Services.AddSingleton<IConcertAvailability, SeatRowAvailability>();
        builder.Services.AddHostedService<ConcertSoldOutCheck>();
        builder.AddMessaging("tickets", bus =>
        {
            bus.AddConsumer<OpenInventoryConsumer>();
            bus.AddConsumer<StopSalesConsumer>();
            bus.AddConsumer<ConfirmHoldConsumer>();
            bus.AddConsumer<SellHoldConsumer>();
            bus.AddConsumer<ReleaseHoldConsumer>();
        });
        return builder;
    }

    public static WebApplication MapTicketsApi(this WebApplication app)
    {
        app.MapInventory();
        app.MapHolds();
        app.MapAdmission();
        return app;
    }
}
