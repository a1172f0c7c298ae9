using JasperFx.Events.Projections;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.Tickets.Inventory;

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
        builder.AddMartenStore(options => options.Projections.Snapshot<ConcertInventory>(SnapshotLifecycle.Inline));
        builder.AddMessaging("tickets", bus =>
        {
            bus.AddConsumer<OpenInventoryConsumer>();
            bus.AddConsumer<StopSalesConsumer>();
        });
        return builder;
    }

    public static WebApplication MapTicketsApi(this WebApplication app)
    {
        app.MapInventory();
        return app;
    }
}
