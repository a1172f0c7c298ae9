using Ticketing.Contracts.Orders;

namespace Ticketing.Catalog.Tests;

/// <summary>The stock messages Orders sends, answered through the real broker.</summary>
public sealed class Reserving_stock(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => catalog.Client;

    private async Task<object> ReserveAsync(Guid productId, int quantity, string fan, Guid? orderId = null)
    {
        var id = orderId ?? Guid.NewGuid();
        await catalog.Messages.Publisher.Publish(new ReserveStock(id, fan, [new StockLine(productId, quantity)]));
        return await AnswerAsync(id);
    }

    private Task<object> AnswerAsync(Guid orderId) => catalog.Messages.WaitForEitherAsync<StockReserved, StockReservationRejected>(
        m => m.OrderId == orderId, m => m.OrderId == orderId, TimeSpan.FromSeconds(15));

    /// <summary>Asserts the product's sold, reserved and available counts, as the Catalog answers them.</summary>
    private async Task AssertStockAsync(Guid productId, int sold, int reserved, int available)
    {
        var product = await ProductAsync(productId);
        Assert.Equal(
            (sold, reserved, available),
            (product.GetProperty("sold").GetInt32(), product.GetProperty("reserved").GetInt32(), product.GetProperty("available").GetInt32()));
    }

    private async Task AssertAvailableAsync(Guid productId, int available) =>
        Assert.Equal(available, (await ProductAsync(productId)).GetProperty("available").GetInt32());

    private async Task<JsonElement> ProductAsync(Guid id) => await Client.GetJsonAsync($"/api/catalog/products/{id}");

    /// <summary>A new order of <paramref name="quantity"/> units that the Catalog has reserved; returns its id.</summary>
    private async Task<Guid> ReservedOrderAsync(Guid productId, int quantity, string fan)
    {
        var orderId = Guid.NewGuid();
        Assert.IsType<StockReserved>(await ReserveAsync(productId, quantity, fan, orderId));
        return orderId;
    }

    [Fact]
    public async Task Stock_within_what_is_available_is_reserved_with_its_price()
    {
        var productId = await Client.CreateProductAsync(stock: 10, limitPerFan: 3);

        var answer = Assert.IsType<StockReserved>(await ReserveAsync(productId, 3, "fan-1"));

        var line = Assert.Single(answer.Lines);
        Assert.Equal(3, line.Quantity);
        Assert.Equal(45000m, line.UnitPrice);
        Assert.Equal("KRW", line.Currency);
        await AssertStockAsync(productId, sold: 0, reserved: 3, available: 7);
    }

    [Fact]
    public async Task More_than_is_available_is_rejected_as_out_of_stock()
    {
        var productId = await Client.CreateProductAsync(stock: 2, limitPerFan: 5);

        var answer = Assert.IsType<StockReservationRejected>(await ReserveAsync(productId, 3, "fan-1"));

        Assert.Equal(StockRejectionReasons.OutOfStock, answer.Reason);
        Assert.Equal(productId, answer.ProductId);
        await AssertAvailableAsync(productId, 2);
    }

    [Fact]
    public async Task A_product_before_its_release_is_rejected_as_not_released()
    {
        var productId = await Client.CreateProductAsync(releaseAt: DateTimeOffset.UtcNow.AddHours(1));

        var answer = Assert.IsType<StockReservationRejected>(await ReserveAsync(productId, 1, "fan-1"));

        Assert.Equal(StockRejectionReasons.NotReleased, answer.Reason);
    }

    [Fact]
    public async Task The_per_fan_limit_counts_across_that_fans_orders()
    {
        var productId = await Client.CreateProductAsync(stock: 100, limitPerFan: 2);
        Assert.IsType<StockReserved>(await ReserveAsync(productId, 1, "fan-limit"));

        var second = Assert.IsType<StockReservationRejected>(await ReserveAsync(productId, 2, "fan-limit"));
        var otherFan = await ReserveAsync(productId, 2, "another-fan");

        Assert.Equal(StockRejectionReasons.LimitExceeded, second.Reason);
        Assert.IsType<StockReserved>(otherFan);
        Assert.IsType<StockReserved>(await ReserveAsync(productId, 1, "fan-limit"));
    }

    [Fact]
    public async Task An_order_is_reserved_whole_or_not_at_all()
    {
        var plenty = await Client.CreateProductAsync(stock: 50, limitPerFan: 5);
        var scarce = await Client.CreateProductAsync(stock: 1, limitPerFan: 5);
        var orderId = Guid.NewGuid();

        await catalog.Messages.Publisher.Publish(new ReserveStock(orderId, "fan-2", [new StockLine(plenty, 2), new StockLine(scarce, 2)]));
        var answer = Assert.IsType<StockReservationRejected>(await AnswerAsync(orderId));

        Assert.Equal(StockRejectionReasons.OutOfStock, answer.Reason);
        Assert.Equal(scarce, answer.ProductId);
        await AssertAvailableAsync(plenty, 50);
        await AssertAvailableAsync(scarce, 1);
    }

    [Fact]
    public async Task An_unknown_product_or_a_bad_quantity_reserves_nothing()
    {
        var productId = await Client.CreateProductAsync(stock: 5);

        var unknown = Assert.IsType<StockReservationRejected>(await ReserveAsync(Guid.NewGuid(), 1, "fan-3"));
        var zero = Assert.IsType<StockReservationRejected>(await ReserveAsync(productId, 0, "fan-3"));

        Assert.Equal(StockRejectionReasons.UnknownProduct, unknown.Reason);
        Assert.Equal(StockRejectionReasons.InvalidRequest, zero.Reason);
        await AssertAvailableAsync(productId, 5);
    }

    [Fact]
    public async Task A_confirmed_order_turns_its_reservation_into_a_sale()
    {
        var productId = await Client.CreateProductAsync(stock: 10, limitPerFan: 5);
        var orderId = await ReservedOrderAsync(productId, 4, "fan-4");

        await catalog.Messages.Publisher.Publish(new OrderConfirmed(orderId, "fan-4", null, DateTimeOffset.UtcNow));
        var committed = await catalog.Messages.WaitForAsync<StockCommitted>(m => m.OrderId == orderId);

        Assert.Equal(4, Assert.Single(committed.Lines).Quantity);
        await AssertStockAsync(productId, sold: 4, reserved: 0, available: 6);
    }

    [Fact]
    public async Task A_cancelled_order_gives_its_stock_back_and_frees_the_fans_limit()
    {
        var productId = await Client.CreateProductAsync(stock: 3, limitPerFan: 3);
        var orderId = await ReservedOrderAsync(productId, 3, "fan-5");

        await catalog.Messages.Publisher.Publish(new OrderCancelled(orderId, "fan-5", null, OrderCancellationReasons.PaymentDeclined, false, DateTimeOffset.UtcNow));
        var released = await catalog.Messages.WaitForAsync<StockReleased>(m => m.OrderId == orderId);

        Assert.False(released.WasSold);
        await AssertAvailableAsync(productId, 3);
        Assert.IsType<StockReserved>(await ReserveAsync(productId, 3, "fan-5"));
    }

    [Fact]
    public async Task A_refunded_order_returns_sold_stock()
    {
        var productId = await Client.CreateProductAsync(stock: 5, limitPerFan: 5);
        var orderId = await ReservedOrderAsync(productId, 2, "fan-6");
        await catalog.Messages.Publisher.Publish(new OrderConfirmed(orderId, "fan-6", null, DateTimeOffset.UtcNow));
        await catalog.Messages.WaitForAsync<StockCommitted>(m => m.OrderId == orderId);

        await catalog.Messages.Publisher.Publish(new OrderCancelled(orderId, "fan-6", null, OrderCancellationReasons.Refunded, true, DateTimeOffset.UtcNow));
        var released = await catalog.Messages.WaitForAsync<StockReleased>(m => m.OrderId == orderId);

        Assert.True(released.WasSold);
        await AssertStockAsync(productId, sold: 0, reserved: 0, available: 5);
    }

    [Fact]
    public async Task A_refund_that_overtakes_its_orders_confirmation_sells_and_returns_the_units()
    {
        // OrderConfirmed and OrderCancelled come on queues of their own: a fan refunded right after paying can have the
        // refund decided first. The order was paid, so the answers are those of a sale and its return, in that order.
        var productId = await Client.CreateProductAsync(stock: 5, limitPerFan: 5);
        var orderId = await ReservedOrderAsync(productId, 2, "fan-11");

        await catalog.Messages.Publisher.Publish(new OrderCancelled(orderId, "fan-11", null, OrderCancellationReasons.Refunded, true, DateTimeOffset.UtcNow));
        var released = await catalog.Messages.WaitForAsync<StockReleased>(m => m.OrderId == orderId);
        var committed = await catalog.Messages.WaitForAsync<StockCommitted>(m => m.OrderId == orderId);

        Assert.True(released.WasSold);
        Assert.Equal(2, Assert.Single(committed.Lines).Quantity);
        Assert.Equal(2, Assert.Single(released.PricedLines).Quantity);
        await AssertStockAsync(productId, sold: 0, reserved: 0, available: 5);

        // The late confirmation sells nothing: the units are back on sale and the fan's limit is free again.
        using (var consumed = ConsumedSignal<OrderConfirmed>.On(catalog.Catalog.Services, message => message.OrderId == orderId))
        {
            await catalog.Messages.Publisher.Publish(new OrderConfirmed(orderId, "fan-11", null, DateTimeOffset.UtcNow));
            await consumed.WaitAsync();
        }

        Assert.Single(catalog.Messages.All<StockCommitted>(), m => m.OrderId == orderId);
        await AssertStockAsync(productId, sold: 0, reserved: 0, available: 5);
        Assert.IsType<StockReserved>(await ReserveAsync(productId, 5, "fan-11"));
    }

    [Fact]
    public async Task A_redelivered_refund_that_overtook_its_confirmation_is_answered_as_a_sale_and_a_return_again()
    {
        // If the Catalog dies between deciding the refund and publishing its answers, the refund is delivered again:
        // the sale must not be lost from what the redelivery answers.
        var productId = await Client.CreateProductAsync(stock: 5, limitPerFan: 5);
        var orderId = await ReservedOrderAsync(productId, 2, "fan-12");
        var refund = new OrderCancelled(orderId, "fan-12", null, OrderCancellationReasons.Refunded, true, DateTimeOffset.UtcNow);

        await catalog.Messages.Publisher.Publish(refund);
        await catalog.Messages.WaitForAsync<StockReleased>(m => m.OrderId == orderId);
        await catalog.Messages.Publisher.Publish(refund);
        var released = await catalog.Messages.WaitForCountAsync<StockReleased>(m => m.OrderId == orderId, 2);
        var committed = await catalog.Messages.WaitForCountAsync<StockCommitted>(m => m.OrderId == orderId, 2);

        Assert.All(released, message => Assert.True(message.WasSold));
        Assert.All(committed, message => Assert.Equal(2, Assert.Single(message.Lines).Quantity));
        await AssertStockAsync(productId, sold: 0, reserved: 0, available: 5);
    }

    [Fact]
    public async Task A_cancellation_that_overtakes_its_reservation_request_leaves_nothing_reserved()
    {
        var productId = await Client.CreateProductAsync(stock: 5, limitPerFan: 5);
        var orderId = Guid.NewGuid();
        using (var consumed = ConsumedSignal<OrderCancelled>.On(catalog.Catalog.Services, message => message.OrderId == orderId))
        {
            await catalog.Messages.Publisher.Publish(new OrderCancelled(orderId, "fan-7", null, OrderCancellationReasons.Timeout, false, DateTimeOffset.UtcNow));
            await consumed.WaitAsync();
        }

        var answer = Assert.IsType<StockReservationRejected>(await ReserveAsync(productId, 2, "fan-7", orderId));

        Assert.Equal(StockRejectionReasons.OrderCancelled, answer.Reason);
        await AssertAvailableAsync(productId, 5);
    }

    [Fact]
    public async Task Redelivered_messages_change_nothing_twice()
    {
        var productId = await Client.CreateProductAsync(stock: 10, limitPerFan: 5);
        var orderId = Guid.NewGuid();
        var reserve = new ReserveStock(orderId, "fan-8", [new StockLine(productId, 2)]);
        var confirm = new OrderConfirmed(orderId, "fan-8", null, DateTimeOffset.UtcNow);

        await catalog.Messages.Publisher.Publish(reserve);
        await catalog.Messages.Publisher.Publish(reserve);
        await catalog.Messages.WaitForCountAsync<StockReserved>(m => m.OrderId == orderId, 2);
        await catalog.Messages.Publisher.Publish(confirm);
        await catalog.Messages.Publisher.Publish(confirm);
        await catalog.Messages.WaitForCountAsync<StockCommitted>(m => m.OrderId == orderId, 2);

        await AssertStockAsync(productId, sold: 2, reserved: 0, available: 8);
    }

    [Fact]
    public async Task Many_copies_of_a_confirmation_or_a_cancellation_at_once_sell_or_release_once()
    {
        var productId = await Client.CreateProductAsync(stock: 10, limitPerFan: 5);
        var sold = Guid.NewGuid();
        var released = Guid.NewGuid();
        await ReserveAsync(productId, 2, "fan-9", sold);
        await ReserveAsync(productId, 3, "fan-10", released);

        await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(_ => new[]
        {
            catalog.Messages.Publisher.Publish(new OrderConfirmed(sold, "fan-9", null, DateTimeOffset.UtcNow)),
            catalog.Messages.Publisher.Publish(new OrderCancelled(released, "fan-10", null, OrderCancellationReasons.Timeout, false, DateTimeOffset.UtcNow)),
        }));
        await catalog.Messages.WaitForCountAsync<StockCommitted>(m => m.OrderId == sold, 8);
        await catalog.Messages.WaitForCountAsync<StockReleased>(m => m.OrderId == released, 8);

        await AssertStockAsync(productId, sold: 2, reserved: 0, available: 8);
    }

    [Fact]
    public async Task A_malformed_request_among_a_burst_is_refused_alone_and_every_other_request_is_answered()
    {
        var productId = await Client.CreateProductAsync(stock: 100, limitPerFan: 1);
        var orders = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid()).ToList();
        var malformed = Guid.NewGuid();

        await Task.WhenAll(orders
            .Select((orderId, i) => catalog.Messages.Publisher.Publish(new ReserveStock(orderId, $"burst-fan-{i}", [new StockLine(productId, 1)])))
            .Append(catalog.Messages.Publisher.Publish(new ReserveStock(malformed, "burst-fan-x", null!))));

        var reserved = await catalog.Messages.WaitForCountAsync<StockReserved>(m => orders.Contains(m.OrderId), orders.Count);
        Assert.Equal(orders.Count, reserved.Select(m => m.OrderId).Distinct().Count());
        var refused = await catalog.Messages.WaitForAsync<StockReservationRejected>(m => m.OrderId == malformed);
        Assert.Equal(StockRejectionReasons.InvalidRequest, refused.Reason);
        Assert.Empty(await catalog.Bus.Management.PeekAsync(catalog.Bus.Name, "catalog-reserve-stock_error"));
        await AssertAvailableAsync(productId, 40);
    }
}
