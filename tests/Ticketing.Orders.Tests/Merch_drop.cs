namespace Ticketing.Orders.Tests;

public sealed class Merch_drop(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly Shop shop = new(platform);

    [Fact]
    public async Task Three_hundred_fans_for_a_hundred_units_make_exactly_a_hundred_sales_and_no_order_is_left_pending()
    {
        var productId = await shop.ProductAsync(stock: 100, limitPerFan: 1);
        await shop.CheckoutAsync("drop-warmup", items: [(productId, 1)]).ContinueWith(async order => await shop.FinalOrderAsync("drop-warmup", await order)).Unwrap();

        var orders = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            var fan = $"drop-fan-{i}";
            return (Fan: fan, OrderId: await shop.CheckoutAsync(fan, items: [(productId, 1)]));
        }));
        var outcomes = new List<JsonElement>();
        foreach (var (fan, orderId) in orders)
        {
            outcomes.Add(await shop.FinalOrderAsync(fan, orderId, timeout: TimeSpan.FromSeconds(90)));
        }

        Assert.Equal(99, outcomes.Count(order => order.GetProperty("status").GetString() == "Confirmed"));
        var cancelled = outcomes.Where(order => order.GetProperty("status").GetString() == "Cancelled").ToList();
        Assert.Equal(201, cancelled.Count);
        Assert.All(cancelled, order => Assert.Equal("out_of_stock", order.GetProperty("reason").GetString()));
        await shop.UntilSoldAsync(productId, 100);
        var product = await shop.ProductStateAsync(productId);
        Assert.Equal(0, product.GetProperty("available").GetInt32());
        Assert.Equal(0, product.GetProperty("reserved").GetInt32());
    }
}
