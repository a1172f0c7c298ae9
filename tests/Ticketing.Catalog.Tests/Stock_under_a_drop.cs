namespace Ticketing.Catalog.Tests;

public sealed class Stock_under_a_drop(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task A_thousand_concurrent_reservations_for_a_hundred_units_reserve_exactly_a_hundred_even_when_delivered_twice()
    {
        var productId = await catalog.Client.CreateProductAsync(stock: 100, limitPerFan: 1);
        var requests = Enumerable.Range(0, 1000)
            .Select(i => new ReserveStock(Guid.NewGuid(), $"drop-fan-{i}", [new StockLine(productId, 1)]))
            .ToList();

        var (reserved, rejected) = await catalog.RaceAsync(requests, reserved: 100, rejected: 900);

        Assert.Equal(100, reserved.Select(m => m.OrderId).Distinct().Count());
        Assert.Equal(900, rejected.Select(m => m.OrderId).Distinct().Count());
        Assert.All(rejected, m => Assert.Equal(StockRejectionReasons.OutOfStock, m.Reason));
        var product = await catalog.Client.GetJsonAsync($"/api/catalog/products/{productId}");
        Assert.Equal(100, product.GetProperty("reserved").GetInt32());
        Assert.Equal(0, product.GetProperty("available").GetInt32());

        // The same thousand messages again, as after a broker redelivery: answered alike, nothing changes.
        var (reservedTwice, rejectedTwice) = await catalog.RaceAsync(requests, reserved: 200, rejected: 1800);

        Assert.Equal(reserved.Select(m => m.OrderId).ToHashSet(), reservedTwice.Select(m => m.OrderId).ToHashSet());
        Assert.Equal(1800, rejectedTwice.Count);
        product = await catalog.Client.GetJsonAsync($"/api/catalog/products/{productId}");
        Assert.Equal(100, product.GetProperty("reserved").GetInt32());
        Assert.Equal(0, product.GetProperty("available").GetInt32());
        Assert.Equal(100, product.GetProperty("stock").GetInt32());
    }
}
