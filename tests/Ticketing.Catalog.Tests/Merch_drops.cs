using Ticketing.Contracts.Orders;

namespace Ticketing.Catalog.Tests;

/// <summary>Album versions, random photocards and bundles: the stock ledger's merch rules through the real broker.</summary>
public sealed class Merch_drops(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => catalog.Client;

    public static JsonObject Album(int[] stocks, string limitScope = "product", int limitPerFan = 2, int[]? cards = null)
    {
        var album = Requests.Product(limitPerFan: limitPerFan);
        album.Remove("stock");
        album["name"] = "First Light (album)";
        album["limitScope"] = limitScope;
        album["variants"] = new JsonArray(stocks.Select((stock, i) => (JsonNode)new JsonObject
        {
            ["code"] = ((char)('A' + i)).ToString(),
            ["sku"] = $"{album["sku"]}-{(char)('A' + i)}",
            ["name"] = $"Version {(char)('A' + i)}",
            ["stock"] = stock,
        }).ToArray());
        if (cards is not null)
        {
            album["inclusion"] = new JsonObject
            {
                ["name"] = "Photocard",
                ["items"] = new JsonArray(cards.Select((count, i) => (JsonNode)new JsonObject { ["code"] = $"M{i + 1}", ["name"] = $"Member {i + 1}", ["count"] = count }).ToArray()),
            };
        }

        return album;
    }

    private async Task<object> ReserveAsync(string fan, params StockLine[] lines)
    {
        var orderId = Guid.NewGuid();
        await catalog.Messages.Publisher.Publish(new ReserveStock(orderId, fan, lines));
        object? answer = null;
        await Polling.UntilAsync(
            () => Task.FromResult((answer = (object?)catalog.Messages.All<StockReserved>().FirstOrDefault(m => m.OrderId == orderId)
                ?? catalog.Messages.All<StockReservationRejected>().FirstOrDefault(m => m.OrderId == orderId)) is not null),
            TimeSpan.FromSeconds(15));
        return answer!;
    }

    private static StockLine Line(Guid productId, int quantity, string? variant = null) => new(productId, quantity) { Variant = variant };

    private static JsonElement VariantOf(JsonElement product, string code) =>
        product.GetProperty("variants").EnumerateArray().Single(variant => variant.GetProperty("code").GetString() == code);

    [Fact]
    public async Task A_product_with_versions_lists_each_with_its_own_sku_and_stock()
    {
        var product = await Client.CreatedAsync("/api/catalog/products", Album([10, 20, 5]));

        Assert.Equal(35, product.GetProperty("stock").GetInt32());
        Assert.Equal(3, product.GetProperty("variants").GetArrayLength());
        var b = VariantOf(product, "B");
        Assert.Equal(20, b.GetProperty("available").GetInt32());
        Assert.EndsWith("-B", b.GetProperty("sku").GetString());
        Assert.Equal("product", product.GetProperty("limitScope").GetString());
    }

    [Theory]
    [InlineData("variants[0].code")]
    [InlineData("variants[1].sku")]
    [InlineData("limitScope")]
    [InlineData("inclusion.items")]
    [InlineData("components")]
    public async Task A_malformed_merch_product_is_refused_naming_the_field(string field)
    {
        var body = field switch
        {
            "variants[0].code" => Album([1, 1]).Also(a => a["variants"]![0]!["code"] = "not a code"),
            "variants[1].sku" => Album([1, 1]).Also(a => a["variants"]![1]!["sku"] = a["variants"]![0]!["sku"]!.GetValue<string>()),
            "limitScope" => Requests.Product().Also(a => a["limitScope"] = "variant"),
            "inclusion.items" => Album([10, 10], cards: [5, 5]),
            _ => Requests.Product().Also(a => a["components"] = new JsonArray(new JsonObject { ["productId"] = Guid.NewGuid(), ["quantity"] = 1 })),
        };

        using var response = await Client.PostAsJsonAsync("/api/catalog/products", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_bundle_of_a_product_that_does_not_exist_or_without_its_version_is_refused()
    {
        var album = (await Client.CreatedAsync("/api/catalog/products", Album([5, 5]))).GetProperty("id").GetGuid();
        var bundle = Requests.Product();
        bundle["components"] = new JsonArray(
            new JsonObject { ["productId"] = album, ["quantity"] = 1 },
            new JsonObject { ["productId"] = Guid.NewGuid(), ["quantity"] = 1 });

        using var response = await Client.PostAsJsonAsync("/api/catalog/products", bundle);

        var errors = (await response.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.TryGetProperty("components[0].variant", out _));
        Assert.True(errors.TryGetProperty("components[1].productId", out _));
    }

    [Fact]
    public async Task A_line_must_name_one_of_the_products_versions()
    {
        var album = (await Client.CreatedAsync("/api/catalog/products", Album([5, 5]))).GetProperty("id").GetGuid();
        var plain = await Client.CreateProductAsync();

        var none = Assert.IsType<StockReservationRejected>(await ReserveAsync("fan-v1", Line(album, 1)));
        var unknown = Assert.IsType<StockReservationRejected>(await ReserveAsync("fan-v1", Line(album, 1, "Z")));
        var onPlain = Assert.IsType<StockReservationRejected>(await ReserveAsync("fan-v1", Line(plain, 1, "A")));

        Assert.All([none, unknown, onPlain], answer => Assert.Equal(StockRejectionReasons.UnknownVariant, answer.Reason));
    }

    [Fact]
    public async Task The_limit_per_fan_counts_every_version_or_each_on_its_own()
    {
        var perProduct = (await Client.CreatedAsync("/api/catalog/products", Album([5, 5], limitScope: "product", limitPerFan: 1))).GetProperty("id").GetGuid();
        var perVariant = (await Client.CreatedAsync("/api/catalog/products", Album([5, 5], limitScope: "variant", limitPerFan: 1))).GetProperty("id").GetGuid();

        Assert.IsType<StockReserved>(await ReserveAsync("fan-limits", Line(perProduct, 1, "A")));
        var secondVersion = Assert.IsType<StockReservationRejected>(await ReserveAsync("fan-limits", Line(perProduct, 1, "B")));
        Assert.IsType<StockReserved>(await ReserveAsync("fan-limits", Line(perVariant, 1, "A")));
        Assert.IsType<StockReserved>(await ReserveAsync("fan-limits", Line(perVariant, 1, "B")));
        var sameVersionAgain = Assert.IsType<StockReservationRejected>(await ReserveAsync("fan-limits", Line(perVariant, 1, "A")));

        Assert.Equal(StockRejectionReasons.LimitExceeded, secondVersion.Reason);
        Assert.Equal(StockRejectionReasons.LimitExceeded, sameVersionAgain.Reason);
    }

    [Fact]
    public async Task A_thousand_fans_racing_for_one_version_never_oversell_it()
    {
        var album = (await Client.CreatedAsync("/api/catalog/products", Album([50, 100, 100], limitPerFan: 1))).GetProperty("id").GetGuid();
        var requests = Enumerable.Range(0, 1000)
            .Select(i => new ReserveStock(Guid.NewGuid(), $"race-fan-{i}", [Line(album, 1, "A")]))
            .ToList();

        var (reserved, rejected) = await catalog.RaceAsync(requests, reserved: 50, rejected: 950);

        Assert.Equal(50, reserved.Select(m => m.OrderId).Distinct().Count());
        Assert.All(rejected, m => Assert.Equal(StockRejectionReasons.OutOfStock, m.Reason));
        Assert.All(reserved, m => Assert.Equal("A", Assert.Single(m.Lines).Variant));
        var product = await Client.GetJsonAsync($"/api/catalog/products/{album}");
        Assert.Equal(0, VariantOf(product, "A").GetProperty("available").GetInt32());
        Assert.Equal(50, VariantOf(product, "A").GetProperty("reserved").GetInt32());
        Assert.Equal(100, VariantOf(product, "B").GetProperty("available").GetInt32());
        Assert.Equal(200, product.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Every_sold_album_draws_a_card_no_member_beyond_their_count_and_a_refund_returns_it()
    {
        // 10 albums, 10 cards: selling them all must hand out exactly the pool.
        var album = (await Client.CreatedAsync("/api/catalog/products", Album([6, 4], limitPerFan: 10, cards: [5, 3, 2]))).GetProperty("id").GetGuid();
        var orders = new List<Guid>();
        foreach (var (variant, fan) in new[] { ("A", "card-fan-1"), ("B", "card-fan-2") })
        {
            var answer = Assert.IsType<StockReserved>(await ReserveAsync(fan, Line(album, variant == "A" ? 6 : 4, variant)));
            orders.Add(answer.OrderId);
            await catalog.Messages.Publisher.Publish(new OrderConfirmed(answer.OrderId, fan, null, DateTimeOffset.UtcNow));
        }

        var committed = await catalog.Messages.WaitForCountAsync<StockCommitted>(m => orders.Contains(m.OrderId), 2, TimeSpan.FromSeconds(15));
        var drawn = committed.SelectMany(m => m.Inclusions).ToList();
        Assert.Equal(10, drawn.Count);
        Assert.Equal(6, drawn.Count(card => card.Variant == "A"));
        Assert.Equal([("M1", 5), ("M2", 3), ("M3", 2)], drawn.GroupBy(card => card.Item).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList());
        Assert.All(drawn, card => Assert.Equal("Photocard", card.Pool));
        var soldOut = await Client.GetJsonAsync($"/api/catalog/products/{album}");
        Assert.Equal(0, soldOut.GetProperty("inclusion").GetProperty("left").GetInt32());

        // The second order is refunded: its four cards go back to the pool.
        await catalog.Messages.Publisher.Publish(new OrderCancelled(orders[1], "card-fan-2", null, OrderCancellationReasons.Refunded, true, DateTimeOffset.UtcNow));
        await catalog.Messages.WaitForCountAsync<StockReleased>(m => m.OrderId == orders[1], 1, TimeSpan.FromSeconds(15));
        var afterRefund = await Client.GetJsonAsync($"/api/catalog/products/{album}");
        Assert.Equal(4, afterRefund.GetProperty("inclusion").GetProperty("left").GetInt32());
        Assert.Equal(4, VariantOf(afterRefund, "B").GetProperty("available").GetInt32());
        var returned = committed.Single(m => m.OrderId == orders[1]).Inclusions;
        Assert.All(afterRefund.GetProperty("inclusion").GetProperty("items").EnumerateArray(), item =>
            Assert.Equal(returned.Count(card => card.Item == item.GetProperty("code").GetString()), item.GetProperty("left").GetInt32()));
    }

    [Fact]
    public async Task A_bundle_whose_last_part_is_taken_mid_order_sells_nothing()
    {
        var album = (await Client.CreatedAsync("/api/catalog/products", Album([1, 5], limitPerFan: 5))).GetProperty("id").GetGuid();
        var lightstick = await Client.CreateProductAsync(stock: 10, limitPerFan: 5);
        var bundleBody = Requests.Product(stock: 5, limitPerFan: 2);
        bundleBody["name"] = "Album + lightstick";
        bundleBody["price"] = 60000;
        bundleBody["components"] = new JsonArray(
            new JsonObject { ["productId"] = album, ["variant"] = "A", ["quantity"] = 1 },
            new JsonObject { ["productId"] = lightstick, ["quantity"] = 1 });
        var bundle = (await Client.CreatedAsync("/api/catalog/products", bundleBody)).GetProperty("id").GetGuid();

        // Another fan takes the last version-A album while this order is on its way.
        Assert.IsType<StockReserved>(await ReserveAsync("quick-fan", Line(album, 1, "A")));
        var refused = Assert.IsType<StockReservationRejected>(await ReserveAsync("bundle-fan", Line(bundle, 1), Line(lightstick, 1)));

        Assert.Equal(StockRejectionReasons.OutOfStock, refused.Reason);
        Assert.Equal(album, refused.ProductId);
        Assert.Equal(10, (await Client.GetJsonAsync($"/api/catalog/products/{lightstick}")).GetProperty("available").GetInt32());
        Assert.Equal(5, VariantOf(await Client.GetJsonAsync($"/api/catalog/products/{album}"), "B").GetProperty("available").GetInt32());

        // Nothing of the bundle was sold, but with no version-A album left none can be bought: it shows sold out, in the
        // list too, while its own five units stay in stock.
        var shown = await Client.GetJsonAsync($"/api/catalog/products/{bundle}");
        Assert.Equal((5, 0, 0, true), (shown.GetProperty("stock").GetInt32(), shown.GetProperty("sold").GetInt32(), shown.GetProperty("available").GetInt32(), shown.GetProperty("soldOut").GetBoolean()));
        var listed = (await Client.GetJsonAsync("/api/catalog/products?pageSize=100")).GetProperty("items").EnumerateArray().Single(item => item.GetProperty("id").GetGuid() == bundle);
        Assert.Equal(0, listed.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task A_bundle_is_reserved_at_its_price_with_every_part_and_released_whole()
    {
        var album = (await Client.CreatedAsync("/api/catalog/products", Album([3, 3], limitPerFan: 5))).GetProperty("id").GetGuid();
        var lightstick = await Client.CreateProductAsync(stock: 10, limitPerFan: 5);
        var bundleBody = Requests.Product(stock: 5, limitPerFan: 2);
        bundleBody["price"] = 60000;
        bundleBody["components"] = new JsonArray(
            new JsonObject { ["productId"] = album, ["variant"] = "B", ["quantity"] = 1 },
            new JsonObject { ["productId"] = lightstick, ["quantity"] = 1 });
        var bundle = (await Client.CreatedAsync("/api/catalog/products", bundleBody)).GetProperty("id").GetGuid();

        var reserved = Assert.IsType<StockReserved>(await ReserveAsync("bundle-buyer", Line(bundle, 2)));

        var line = Assert.Single(reserved.Lines);
        Assert.Equal(60000m, line.UnitPrice);
        Assert.Equal(1, VariantOf(await Client.GetJsonAsync($"/api/catalog/products/{album}"), "B").GetProperty("available").GetInt32());
        Assert.Equal(8, (await Client.GetJsonAsync($"/api/catalog/products/{lightstick}")).GetProperty("available").GetInt32());

        await catalog.Messages.Publisher.Publish(new OrderCancelled(reserved.OrderId, "bundle-buyer", null, OrderCancellationReasons.Timeout, false, DateTimeOffset.UtcNow));
        await catalog.Messages.WaitForCountAsync<StockReleased>(m => m.OrderId == reserved.OrderId, 1, TimeSpan.FromSeconds(15));
        Assert.Equal(3, VariantOf(await Client.GetJsonAsync($"/api/catalog/products/{album}"), "B").GetProperty("available").GetInt32());
        Assert.Equal(10, (await Client.GetJsonAsync($"/api/catalog/products/{lightstick}")).GetProperty("available").GetInt32());

        // Five bundles are in stock again, but only three version-B albums: three can be bought.
        Assert.Equal(3, (await Client.GetJsonAsync($"/api/catalog/products/{bundle}")).GetProperty("available").GetInt32());
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
