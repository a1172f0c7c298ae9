using Ticketing.Queue.Admission;
using Ticketing.Queue.Drops;
using Ticketing.Queue.Entries;
using Ticketing.Queue.LuckyDraws;
using Ticketing.Queue.Operations;
using Ticketing.Queue.Orders;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue;

/// <summary>Names the Queue service's assembly, for hosts and tests.</summary>
public sealed class QueueService
{
    private QueueService()
    {
    }
}

internal static class Extensions
{
    public static IHostApplicationBuilder AddQueue(this IHostApplicationBuilder builder)
    {
        builder.AddMartenStore(options =>
        {
            // Every event type is registered so that an instance that never appended one can still read it.
            options.Events.AddEventTypes(DropEventReader.EventTypes);
            // Appends run under the drop's lock (DropStreamWriter): one round trip each, versions assigned in the database.
            options.Events.AppendMode = JasperFx.Events.EventAppendMode.Quick;
            options.Schema.For<OrderInDrop>().Duplicate(link => link.OrderId);
            options.Schema.For<LuckyDraw>().UseOptimisticConcurrency(true).Duplicate(draw => draw.ProductId);
            options.Schema.For<LuckyDrawEntry>().Duplicate(entry => entry.DrawId);
        });

        builder.AddAdmissionPasses();
        builder.Services.AddOptions<QueueOptions>().BindConfiguration("Queue");
        builder.Services.AddSingleton<DropStreamWriter>();
        builder.Services.AddSingleton<DropEventReader>();
        builder.Services.AddSingleton<DropStates>();
        builder.Services.AddSingleton<DropAnnouncements>();
        builder.Services.AddSingleton<DropAvailability>();
        builder.Services.AddSingleton<OrdersInDrops>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DropStates>());
        builder.Services.AddSingleton<JoinRecorder>();
        builder.Services.AddSingleton<QueueMetrics>();
        builder.Services.AddHostedService<AdmissionRunner>();
        builder.Services.AddSingleton<LuckyDrawStore>();
        builder.Services.AddOptions<LuckyDrawOptions>().BindConfiguration("Queue:LuckyDraws");
        builder.Services.AddHostedService<LuckyDrawRunner>();
        builder.Services.AddHealthChecks().AddCheck<DropsLoadedCheck>("drops", tags: [Ticketing.ServiceDefaults.ServiceDefaultsExtensions.ReadyTag]);
        builder.AddMessaging("queue", bus =>
        {
            bus.AddConsumer<ConcertDropConsumer>();
            bus.AddConsumer<ProductDropConsumer>();
            bus.AddConsumer<DropCancelledConsumer>();
            bus.AddConsumer<ConcertSoldOutConsumer>();
            bus.AddConsumer<ConcertSeatsAvailableAgainConsumer>();
            bus.AddConsumer<ProductSoldOutConsumer>();
            bus.AddConsumer<ProductBackInStockConsumer>();
            bus.AddConsumer<HoldInDropConsumer>();
            bus.AddConsumer<StockInDropConsumer>();
            bus.AddConsumer<OrderConfirmedInDropConsumer>();
            bus.AddConsumer<OrderCancelledInDropConsumer>();
            bus.AddConsumer<LuckyDrawClaimConsumer>();
        });
        return builder;
    }

    public static WebApplication MapQueueApi(this WebApplication app)
    {
        // The admission instruments observe the drops from the start.
        app.Services.GetRequiredService<QueueMetrics>();
        app.MapEntries();
        app.MapQueueBoard();
        app.MapOperations();
        app.MapLuckyDraws();
        return app;
    }
}
