namespace Ticketing.Orders.Tests;

/// <summary>End to end through the gateway: Orders, Tickets and the Catalog on real PostgreSQL and RabbitMQ.</summary>
public sealed class Checking_out(CheckoutFixture platform) : IClassFixture<CheckoutFixture>
{
    private readonly Shop shop = new(platform);

    [Fact]
    public async Task A_seat_order_is_confirmed_and_the_fans_tickets_appear()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var holdId = await shop.HoldAsync("fan-seats", concertId, "A-1-1", "A-1-2");

        var orderId = await shop.CheckoutAsync("fan-seats", holdId);
        var order = await shop.FinalOrderAsync("fan-seats", orderId);

        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        Assert.Equal(308000m, order.GetProperty("total").GetDecimal());
        Assert.Equal("KRW", order.GetProperty("currency").GetString());
        Assert.Equal("4242", order.GetProperty("cardLast4").GetString());
        var tickets = await shop.TicketsAsync("fan-seats", 2);
        Assert.Equal(["A-1-1", "A-1-2"], tickets.Select(t => t.GetProperty("seatId").GetString()).Order());
        var seats = await shop.SeatsAsync(concertId);
        Assert.Equal("sold", seats["A-1-1"]);
    }

    [Fact]
    public async Task A_merch_order_is_confirmed_and_the_stock_drops()
    {
        var productId = await shop.ProductAsync(stock: 10);

        var order = await shop.ConfirmedOrderAsync("fan-merch", items: [(productId, 2)]);

        Assert.Equal(90000m, order.GetProperty("total").GetDecimal());
        await shop.UntilSoldAsync(productId, 2);
        Assert.Equal(8, (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task A_declined_card_cancels_the_order_and_gives_back_the_seats_and_the_stock()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var productId = await shop.ProductAsync(stock: 5);
        var holdId = await shop.HoldAsync("fan-declined", concertId, "A-2-1");

        var orderId = await shop.CheckoutAsync("fan-declined", holdId, [(productId, 1)], Shop.DecliningCard);
        var order = await shop.FinalOrderAsync("fan-declined", orderId);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("payment_declined", order.GetProperty("reason").GetString());
        await Shop.UntilAsync(async () => (await shop.SeatsAsync(concertId))["A-2-1"] == "available");
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32() == 5);
    }

    [Fact]
    public async Task An_out_of_stock_line_cancels_the_whole_order_and_releases_its_hold()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var productId = await shop.ProductAsync(stock: 1, limitPerFan: 2);
        var holdId = await shop.HoldAsync("fan-greedy", concertId, "A-2-5");

        var orderId = await shop.CheckoutAsync("fan-greedy", holdId, [(productId, 2)]);
        var order = await shop.FinalOrderAsync("fan-greedy", orderId);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("out_of_stock", order.GetProperty("reason").GetString());
        await Shop.UntilAsync(async () => (await shop.SeatsAsync(concertId))["A-2-5"] == "available");
        Assert.Equal(1, (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task An_expired_hold_cancels_the_order_as_hold_expired()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var holdId = await shop.HoldAsync("fan-late", concertId, "A-2-9");
        platform.TicketsClock.Jump(CheckoutFixture.HoldDuration + TimeSpan.FromMinutes(1));
        await Shop.UntilAsync(async () => (await shop.SeatsAsync(concertId))["A-2-9"] == "available");

        var orderId = await shop.CheckoutAsync("fan-late", holdId);
        var order = await shop.FinalOrderAsync("fan-late", orderId);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("hold_expired", order.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Another_fans_hold_cannot_be_checked_out()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var holdId = await shop.HoldAsync("fan-owner", concertId, "A-2-12");

        var orderId = await shop.CheckoutAsync("fan-thief", holdId);
        var order = await shop.FinalOrderAsync("fan-thief", orderId);

        Assert.Equal("hold_invalid", order.GetProperty("reason").GetString());
        Assert.Equal("held", (await shop.SeatsAsync(concertId))["A-2-12"]);
    }

    /// <summary>
    /// A concert on sale and a product of three units; <paramref name="fanId"/> buys <paramref name="seatId"/> and one
    /// unit, and the order is confirmed.
    /// </summary>
    private async Task<(Guid ConcertId, Guid ProductId, Guid OrderId)> PaidSeatAndMerchAsync(string fanId, string seatId)
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var productId = await shop.ProductAsync(stock: 3);
        var holdId = await shop.HoldAsync(fanId, concertId, seatId);
        var orderId = await shop.CheckoutAsync(fanId, holdId, [(productId, 1)]);
        var order = await shop.FinalOrderAsync(fanId, orderId);
        Assert.True(order.GetProperty("status").GetString() == "Confirmed", order.ToString());
        return (concertId, productId, orderId);
    }

    [Fact]
    public async Task An_operator_refund_voids_the_tickets_and_returns_seats_and_stock()
    {
        var (concertId, productId, orderId) = await PaidSeatAndMerchAsync("fan-refund", "A-1-10");
        var code = (await shop.TicketsAsync("fan-refund", 1)).Single().GetProperty("code").GetString();

        using var operatorClient = platform.Operator();
        using var refund = await operatorClient.PostAsync($"/api/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        var order = await refund.ReadJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("refunded", order.GetProperty("reason").GetString());
        await Shop.UntilAsync(async () => (await shop.SeatsAsync(concertId))["A-1-10"] == "available");
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32() == 3);
        await Shop.UntilAsync(async () =>
        {
            using var scan = await operatorClient.PostAsJsonAsync("/api/tickets/check-in", new { code, concertId });
            return scan.StatusCode == HttpStatusCode.Conflict && (await scan.Content.ReadAsStringAsync()).Contains("voided");
        });
    }

    [Fact]
    public async Task A_called_off_concert_refunds_its_paid_orders_in_full_merch_included()
    {
        var (concertId, productId, paidOrder) = await PaidSeatAndMerchAsync("fan-called-off", "A-1-14");
        await shop.TicketsAsync("fan-called-off", 1);

        using var operatorClient = platform.Operator();
        using var cancelled = await operatorClient.PostAsJsonAsync($"/api/catalog/concerts/{concertId}/cancel", new { reason = "typhoon" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        JsonElement order = default;
        await Shop.UntilAsync(async () =>
        {
            order = await shop.FinalOrderAsync("fan-called-off", paidOrder);
            return order.GetProperty("status").GetString() == "Cancelled";
        });
        Assert.Equal("concert_cancelled", order.GetProperty("reason").GetString());
        // The whole order is refunded, its merch too: the stock comes back.
        await Shop.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("available").GetInt32() == 3);
    }

    [Fact]
    public async Task A_fan_sees_their_orders_and_no_one_elses()
    {
        var productId = await shop.ProductAsync(stock: 10);
        var orderId = await shop.CheckoutAsync("fan-private", items: [(productId, 1)]);
        await shop.FinalOrderAsync("fan-private", orderId);

        using var owner = platform.Fan("fan-private");
        using var stranger = platform.Fan("fan-stranger");
        var mine = await owner.GetFromJsonAsync<JsonElement>("/api/orders/mine");
        using var peek = await stranger.GetAsync($"/api/orders/{orderId}");

        Assert.Contains(mine.GetProperty("items").EnumerateArray(), order => order.GetProperty("orderId").GetGuid() == orderId);
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
    }

    public static TheoryData<string, string, string?> BadCheckouts => new()
    {
        { "empty order", """{ "payment": { "cardNumber": "4242424242424242" } }""", "key" },
        { "bad quantity", """{ "items": [ { "productId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "quantity": 0 } ], "payment": { "cardNumber": "4242424242424242" } }""", "key" },
        { "card failing Luhn", """{ "holdId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "payment": { "cardNumber": "4242424242424241" } }""", "key" },
        { "card with letters", """{ "holdId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "payment": { "cardNumber": "4242abcd42424242" } }""", "key" },
        { "no payment", """{ "holdId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301" }""", "key" },
        { "missing idempotency key", """{ "holdId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "payment": { "cardNumber": "4242424242424242" } }""", null },
    };

    [Theory]
    [MemberData(nameof(BadCheckouts))]
    public async Task A_bad_checkout_is_a_400_problem(string because, string body, string? key)
    {
        using var fan = platform.Fan("fan-bad");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        using var response = await fan.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("4242424242424241", await response.Content.ReadAsStringAsync());
    }
}
