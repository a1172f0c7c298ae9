using JasperFx.Events;
using Ticketing.Insights.Concerts;
using Ticketing.Insights.Live;
using Ticketing.Insights.Metrics;
using Ticketing.Insights.Orders;
using Ticketing.Insights.Overview;
using Ticketing.Insights.Recording;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Insights;

/// <summary>Names the Insights service's assembly, for hosts and tests.</summary>
public sealed class InsightsService
{
    private InsightsService()
    {
    }
}

internal static class Extensions
{
    public static IHostApplicationBuilder AddInsights(this IHostApplicationBuilder builder)
    {
        // Registered before the store, so that it runs after Marten has applied the schema (Marten puts that first) and
        // before the async daemon starts (Marten adds it last).
        builder.Services.AddSingleton<InsightsProgressTakeover>();
        builder.Services.AddHostedService(services => services.GetRequiredService<InsightsProgressTakeover>());
        builder.AddMartenStore(options =>
        {
            // Integration events are recorded as they are, a stream per commit, each event's id made from its fact's
            // identity and unique, so that a fact is stored once (see IntegrationEventRecorder).
            options.Events.AppendMode = EventAppendMode.Quick;
            options.Events.EnableUniqueIndexOnEventId = true;
            // The dashboard is live: the daemon looks for new events every 100 ms (the default of every service).
            InsightsProjections.Register(options);
            options.Schema.For<RowSeatMap>().Duplicate(map => map.ConcertId);
            // An order's activity is written up to three times in a sale, so it has only the indexes the overview uses:
            // the latest updated (recent orders) and a partial index of the pending ones by when they were placed
            // (the pending count and the stuck orders), which an order leaves when it is decided. Status is a column
            // for that index's condition, without an index of its own.
            options.ColumnWithoutIndex<OrderActivity>(nameof(OrderActivity.Status));
            options.Schema.For<OrderActivity>()
                .Duplicate(order => order.PlacedAt, configure: index => index.Predicate = InsightsQueries.PendingCondition)
                .Duplicate(order => order.UpdatedAt);
        });

        builder.Services.AddOptions<InsightsOptions>().BindConfiguration("Insights");
        builder.Services.AddSingleton<InsightsMetrics>();
        builder.Services.AddSingleton<IntegrationEventRecorder>();
        builder.Services.AddSingleton<InsightsQueries>();
        builder.Services.AddSingleton<LiveOverviewFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveOverviewFeed>());
        builder.AddMessaging("insights", bus =>
        {
            bus.AddRecordingConsumers("insights");
        });
        return builder;
    }

    public static WebApplication MapInsightsApi(this WebApplication app)
    {
        app.MapInsights();
        return app;
    }
}
