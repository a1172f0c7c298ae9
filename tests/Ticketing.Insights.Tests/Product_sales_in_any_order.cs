using JasperFx.Events;
using Ticketing.Contracts.Catalog;
using Ticketing.Insights.Products;

namespace Ticketing.Insights.Tests;

/// <summary>
/// The product projection's rule alone (no database): one order's stock messages are recorded in whatever order their
/// queues delivered them, and every order gives the same numbers.
/// </summary>
public sealed class Product_sales_in_any_order
{
    private static readonly Guid ProductId = Guid.NewGuid();
    private static readonly Guid OrderId = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    private static readonly ProductPublished Published = new(ProductId, "LS-1", "Lightstick", "Echo", 45000m, "KRW", 10, 4, null, At);
    private static readonly StockReserved Reserved = new(OrderId, "fan-1", [new ReservedStockLine(ProductId, "LS-1", "Lightstick", 2, 40000m, "KRW")], At);
    private static readonly StockCommitted Committed = new(OrderId, [new StockLine(ProductId, 2)], At);
    private static readonly StockReleased Returned = new(OrderId, [new StockLine(ProductId, 2)], WasSold: true, At)
    {
        PricedLines = Reserved.Lines,
    };

    /// <summary>Every order of the three messages of a refunded order.</summary>
    public static TheoryData<string> RefundOrders =>
    [
        "reserved committed returned", "reserved returned committed", "committed reserved returned",
        "committed returned reserved", "returned reserved committed", "returned committed reserved",
    ];

    [Theory]
    [MemberData(nameof(RefundOrders))]
    public void A_refunded_order_counts_as_returned_and_nothing_else_whatever_the_order(string order)
    {
        var product = Project([Published, .. order.Split(' ').Select(name => Messages[name])]);

        Assert.Equal((Sold: 0, Reserved: 0, Returned: 2, Revenue: 0m, Available: 10), (product.Sold, product.Reserved, product.Returned, product.Revenue, product.Available));
        Assert.Empty(product.OpenLines);
    }

    [Fact]
    public void A_sale_counts_at_its_reserved_price_whatever_the_order()
    {
        foreach (var messages in new object[][] { [Reserved, Committed], [Committed, Reserved] })
        {
            var product = Project([Published, .. messages]);

            Assert.Equal((Sold: 2, Reserved: 0, Returned: 0, Revenue: 80000m), (product.Sold, product.Reserved, product.Returned, product.Revenue));
            Assert.Empty(product.OpenLines);
        }
    }

    private static readonly Dictionary<string, object> Messages = new()
    {
        ["reserved"] = Reserved,
        ["committed"] = Committed,
        ["returned"] = Returned,
    };

    private static ProductSales Project(IEnumerable<object> messages)
    {
        var projection = new ProductSalesProjection();
        ProductSales? product = null;
        foreach (var message in messages)
        {
            product = projection.Evolve(product, ProductId, Wrap(message));
        }

        return product!;
    }

    private static IEvent Wrap(object message) => (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(message.GetType()), message)!;
}
