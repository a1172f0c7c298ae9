using MassTransit;

namespace Ticketing.Orders.Tests;

/// <summary>Checkouts that must end within three seconds.</summary>
public sealed class ShortCheckoutFixture : PlatformFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) =>
        FixtureSettings.ForService("orders", service, settings, ("Orders:Checkout:Timeout", "00:00:03"), ("Orders:Checkout:TimeoutScanInterval", "00:00:00.250"));
}

public sealed class Checkout_time_out(ShortCheckoutFixture platform) : IClassFixture<ShortCheckoutFixture>
{
    private readonly Shop shop = new(platform);

    /// <summary>
    /// An order is written twice in a sale: its table indexes only what its readers use (a fan's orders, a concert's, the
    /// time-out runner's pending ones), so a decided order leaves the runner's index and has no status index to update.
    /// </summary>
    [Fact]
    public async Task Due_orders_are_found_in_an_index_of_the_pending_orders_only()
    {
        var indexes = await TableIndexes.OfAsync(platform.Orders.Settings["ConnectionStrings:Postgres"]!, "mt_doc_order");

        Assert.Equal(
            ["btree (concert_id)", "btree (deadline) WHERE ((status)::text = 'Pending'::text)", "btree (fan_id)", "btree (id)"],
            indexes);
    }

    [Fact]
    public async Task A_checkout_whose_hold_is_never_answered_is_cancelled_as_timeout_and_its_stock_given_back()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var productId = await shop.ProductAsync(stock: 4);
        var holdId = await shop.HoldAsync("fan-waiting", concertId, "A-1-3");
        await shop.FinalOrderAsync("fan-warm", await shop.CheckoutAsync("fan-warm", items: [(productId, 1)]));

        // Tickets stops answering: its bus is down, so ConfirmHold waits in its queue.
        await platform.Tickets.Services.GetRequiredService<IBusControl>().StopAsync();
        var orderId = await shop.CheckoutAsync("fan-waiting", holdId, [(productId, 1)]);
        var order = await shop.FinalOrderAsync("fan-waiting", orderId, timeout: TimeSpan.FromSeconds(20));

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("timeout", order.GetProperty("reason").GetString());
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32() == 3);
    }
}
