using Ticketing.Orders.Orders;
using Ticketing.Orders.Products;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;

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
            options.Schema.For<PriceBookEntry>();
            options.Schema.For<OrderSummary>();
        });
        builder.AddMessaging("orders", bus => bus.AddConsumer<PriceBookConsumer>());
        return builder;
    }

    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        app.MapOrders();
        return app;
    }
}
