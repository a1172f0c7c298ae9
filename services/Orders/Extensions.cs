using JasperFx.Events.Projections;
using MassTransit;
using Ticketing.Orders.Checkout;
using Ticketing.Orders.Messaging;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;
using Ticketing.Orders.Products;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Orders;

/// <summary>Names the Orders service's assembly, for hosts and tests.</summary>
public sealed class OrdersService
{
    private OrdersService()
    {
    }
}

internal static class Extensions
{
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.AddMartenStore(options =>
            {
                options.Projections.Snapshot<Order>(SnapshotLifecycle.Inline);
                // An order is written twice in a sale (placed, then confirmed or cancelled), so it has only the indexes
                // its readers need: a fan's orders by FanId, a called-off concert's by ConcertId, and the time-out
                // runner's pending orders past their deadline by a partial index of the pending ones only, which an
                // order leaves when it is decided. Status is a column for that index's condition, without an index of
                // its own.
                options.ColumnWithoutIndex<Order>(nameof(Order.Status));
                options.Schema.For<Order>()
                    .Duplicate(order => order.FanId)
                    .Duplicate(order => order.Deadline, configure: index => index.Predicate = CheckoutTimeoutRunner.PendingCondition)
                    .Duplicate(order => order.ConcertId);
                options.Schema.For<CheckoutKey>();
                options.Schema.For<PriceBookEntry>();
                options.Schema.For<SimulatedAuthorization>();
            })
            .AddIntegrationEventRelay<OrdersIntegrationEvents>();

        builder.Services.AddOptions<CheckoutOptions>().BindConfiguration("Orders:Checkout");
        builder.Services.AddOptions<SimulatedCardOptions>().BindConfiguration("Payments:Simulated");
        builder.Services.AddSingleton<IPaymentProcessor, SimulatedCardProcessor>();
        builder.AddAdmissionPasses();
        builder.Services.AddSingleton<CheckoutMetrics>();
        builder.Services.AddSingleton<CheckoutProcess>();
        builder.Services.AddSingleton<OrderPlacements>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<PriceBook>();
        builder.Services.AddHostedService<CheckoutTimeoutRunner>();
        builder.AddMessaging("orders", bus =>
        {
            bus.AddConsumer<PriceBookConsumer>();
            bus.AddConsumer<SeatsSecuredConsumer, GroupedConsumerDefinition<SeatsSecuredConsumer>>();
            bus.AddConsumer<SeatsRefusedConsumer, GroupedConsumerDefinition<SeatsRefusedConsumer>>();
            bus.AddConsumer<MerchReservedConsumer, GroupedConsumerDefinition<MerchReservedConsumer>>();
            bus.AddConsumer<MerchRefusedConsumer, GroupedConsumerDefinition<MerchRefusedConsumer>>();
            bus.AddConsumer<InclusionsDrawnConsumer, GroupedConsumerDefinition<InclusionsDrawnConsumer>>();
            bus.AddConsumer<ConcertCancelledConsumer>();
        });
        return builder;
    }

    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        app.MapOrders();
        return app;
    }
}
