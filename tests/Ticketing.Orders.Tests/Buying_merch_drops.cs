namespace Ticketing.Orders.Tests;

/// <summary>A fan buys an album version with a random photocard, a bundle, or a lucky draw's item, through the gateway.</summary>
public sealed class Buying_merch_drops(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly Shop shop = new(platform);

    private async Task<Guid> AlbumAsync(int[] cards, int stockPerVersion = 5)
    {
        using var client = platform.Operator();
        var sku = $"ALB-{Guid.NewGuid():N}"[..16];
        using var created = await client.PostAsJsonAsync("/api/catalog/products", new
        {
            sku,
            name = "First Light",
            artist = "NOVA",
            price = 22000m,
            currency = "KRW",
            limitPerFan = 4,
            variants = new[] { new { code = "A", sku = $"{sku}-A", name = "Version A", stock = stockPerVersion }, new { code = "B", sku = $"{sku}-B", name = "Version B", stock = stockPerVersion } },
            inclusion = new { name = "Photocard", items = cards.Select((count, i) => new { code = $"M{i + 1}", name = $"Member {i + 1}", count }).ToArray() },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> CheckoutProblemAsync(HttpClient fan, object body)
    {
        // Orders hears of a new product a moment after the Catalog lists it: wait until the answer is about the version.
        JsonElement problem = default;
        await Polling.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await fan.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            problem = await response.ReadJsonAsync<JsonElement>();
            return !problem.GetProperty("errors").TryGetProperty("items[0].productId", out _);
        }, TimeSpan.FromSeconds(15));
        return problem.GetProperty("errors");
    }

    [Fact]
    public async Task An_album_line_must_choose_one_of_its_versions()
    {
        var album = await AlbumAsync([10]);
        using var fan = platform.Fan("version-chooser");

        var none = await CheckoutProblemAsync(fan, new { items = new[] { new { productId = album, quantity = 1 } }, payment = new { cardNumber = Shop.ApprovingCard } });
        var unknown = await CheckoutProblemAsync(fan, new { items = new[] { new { productId = album, quantity = 1, variant = "Z" } }, payment = new { cardNumber = Shop.ApprovingCard } });

        Assert.Contains("A, B", none.GetProperty("items[0].variant")[0].GetString());
        Assert.True(unknown.TryGetProperty("items[0].variant", out _));
    }

    [Fact]
    public async Task A_confirmed_album_shows_its_version_and_the_drawn_photocard_and_a_refund_puts_the_card_back()
    {
        var album = await AlbumAsync([3, 3, 4]);
        using var fan = platform.Fan("card-collector");
        var orderId = await Polling.CheckoutAsync(fan, new
        {
            items = new[] { new { productId = album, quantity = 2, variant = "b" } },
            payment = new { cardNumber = Shop.ApprovingCard },
        });

        var order = await shop.FinalOrderAsync("card-collector", orderId);
        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        var line = Assert.Single(order.GetProperty("lines").EnumerateArray());
        Assert.Equal("B", line.GetProperty("variant").GetString());
        Assert.Equal("First Light (Version B)", line.GetProperty("description").GetString());

        // The cards are drawn when the Catalog sells the units, and the order learns them by message.
        await Shop.UntilAsync(async () => (order = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("inclusions").GetArrayLength() == 2);
        Assert.All(order.GetProperty("inclusions").EnumerateArray(), card =>
        {
            Assert.Equal("Photocard", card.GetProperty("pool").GetString());
            Assert.StartsWith("Member ", card.GetProperty("itemName").GetString());
        });
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(album)).GetProperty("inclusion").GetProperty("left").GetInt32() == 8);

        using var operatorClient = platform.Operator();
        using var refund = await operatorClient.PostAsync($"/api/orders/{orderId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(album)).GetProperty("inclusion").GetProperty("left").GetInt32() == 10);
    }

    [Fact]
    public async Task A_bundle_is_charged_its_bundle_price()
    {
        var album = await AlbumAsync([20]);
        var lightstick = await shop.ProductAsync(stock: 10);
        using var client = platform.Operator();
        var bundle = await TestProducts.ListAsync(client, TestProducts.Body("Album + lightstick", 60000m, stock: 5, limitPerFan: 1, more: new
        {
            components = new object[] { new { productId = album, variant = "A", quantity = 1 }, new { productId = lightstick, quantity = 1 } },
        }));

        var order = await shop.ConfirmedOrderAsync("bundle-fan", items: [(bundle, 1)]);

        Assert.Equal(60000m, order.GetProperty("total").GetDecimal());
        await shop.UntilSoldAsync(lightstick, 1);
        // The album is sold in the same commit as the lightstick, as the bundle's version A.
        var albumState = await shop.ProductStateAsync(album);
        Assert.Equal(1, albumState.GetProperty("sold").GetInt32());
        Assert.Equal([("A", 1), ("B", 0)], albumState.GetProperty("variants").EnumerateArray().Select(variant => (variant.GetProperty("code").GetString(), variant.GetProperty("sold").GetInt32())));
    }

    [Fact]
    public async Task Only_a_lucky_draw_winner_buys_the_item_with_their_purchase_pass_and_the_right_is_claimed()
    {
        using var ops = platform.Operator();
        var polaroid = await TestProducts.ListAsync(ops, TestProducts.Body("Signed polaroid", 99000m, stock: 1, limitPerFan: 1, more: new { soldByLuckyDraw = true }));
        using var opened = await ops.PostAsJsonAsync("/api/queue/lucky-draws", new
        {
            productId = polaroid, title = "Signed polaroid", closesAt = DateTimeOffset.UtcNow.AddSeconds(3), winners = 1, claimMinutes = 10,
        });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var drawId = (await opened.ReadJsonAsync<JsonElement>()).GetProperty("drawId").GetGuid();
        using var fan = platform.Fan("lucky-winner");
        using var entered = await fan.PostAsync($"/api/queue/lucky-draws/{drawId}/entries", null);
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);

        // Without the pass, nobody buys it.
        var body = new { items = new[] { new { productId = polaroid, quantity = 1 } }, payment = new { cardNumber = Shop.ApprovingCard } };
        await Shop.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await fan.SendAsync(request);
            return response.StatusCode == HttpStatusCode.Forbidden
                && (await response.ReadJsonAsync<JsonElement>()).GetProperty("reason").GetString() == "admission_required";
        });

        // The only entry wins; its pass opens the checkout.
        JsonElement mine = default;
        await Shop.UntilAsync(async () => (mine = await fan.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries/mine")).GetProperty("result").GetString() == "won");
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
        checkout.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        checkout.Headers.Add("X-Admission-Pass", mine.GetProperty("purchasePass").GetString());
        using var accepted = await fan.SendAsync(checkout);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var orderId = (await accepted.ReadJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();

        Assert.Equal("Confirmed", (await shop.FinalOrderAsync("lucky-winner", orderId)).GetProperty("status").GetString());
        await Shop.UntilAsync(async () => (await fan.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries/mine")).GetProperty("result").GetString() == "claimed");
    }
}
