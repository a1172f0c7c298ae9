using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Tests;

public sealed class Idempotent_checkout(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly Shop shop = new(platform);

    private async Task<int> AuthorizationsAsync(Guid orderId)
    {
        await using var session = platform.Orders.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<SimulatedAuthorization>().CountAsync(authorization => authorization.Id == orderId);
    }

    [Fact]
    public async Task Fifty_identical_checkouts_with_one_key_make_one_order_and_one_payment()
    {
        var productId = await shop.ProductAsync(stock: 100);
        await shop.FinalOrderAsync("fan-warmup", await shop.CheckoutAsync("fan-warmup", items: [(productId, 1)]));
        var key = Guid.NewGuid().ToString();
        using var fan = platform.Fan("fan-impatient");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(new { items = new[] { new { productId, quantity = 1 } }, payment = new { cardNumber = Shop.ApprovingCard } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await fan.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        var orderIds = responses.Select(response => JsonDocument.Parse(response.Body).RootElement.GetProperty("orderId").GetGuid()).Distinct().ToList();
        var orderId = Assert.Single(orderIds);
        Assert.Equal("Confirmed", (await shop.FinalOrderAsync("fan-impatient", orderId)).GetProperty("status").GetString());
        var mine = await fan.GetFromJsonAsync<JsonElement>("/api/orders/mine");
        Assert.Equal(1, mine.GetProperty("totalCount").GetInt32());
        Assert.Equal(1, await AuthorizationsAsync(orderId));
        await shop.UntilSoldAsync(productId, 2);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused()
    {
        var productId = await shop.ProductAsync(stock: 10);
        await shop.FinalOrderAsync("fan-warmup-2", await shop.CheckoutAsync("fan-warmup-2", items: [(productId, 1)]));
        using var fan = platform.Fan("fan-reuse");
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> SendAsync(int quantity)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(new { items = new[] { new { productId, quantity } }, payment = new { cardNumber = Shop.ApprovingCard } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await fan.SendAsync(request);
        }

        using var first = await SendAsync(1);
        using var repeat = await SendAsync(1);
        using var other = await SendAsync(2);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal((await first.ReadJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid(), (await repeat.ReadJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }

    [Fact]
    public async Task Duplicate_deliveries_of_every_answer_the_checkout_consumes_change_nothing()
    {
        var concertId = await shop.ConcertOnSaleAsync();
        var productId = await shop.ProductAsync(stock: 10);
        var holdId = await shop.HoldAsync("fan-dup", concertId, "A-1-15");
        var recorder = await MessageRecorder.StartAsync(platform.Bus.AmqpUri, typeof(HoldConfirmed), typeof(StockReserved));
        await using var _ = recorder;
        var orderId = await shop.CheckoutAsync("fan-dup", holdId, [(productId, 1)]);
        var confirmed = await shop.FinalOrderAsync("fan-dup", orderId);
        Assert.Equal("Confirmed", confirmed.GetProperty("status").GetString());
        var seatsAnswer = await recorder.WaitForAsync<HoldConfirmed>(m => m.OrderId == orderId);
        var stockAnswer = await recorder.WaitForAsync<StockReserved>(m => m.OrderId == orderId);

        // Every message type the checkout consumes, again — including refusals that would cancel it if applied.
        var orders = platform.Orders.Services;
        using var seatsAgain = ConsumedSignal<HoldConfirmed>.On(orders, message => message.OrderId == orderId);
        using var stockAgain = ConsumedSignal<StockReserved>.On(orders, message => message.OrderId == orderId);
        using var seatsRefused = ConsumedSignal<HoldRejected>.On(orders, message => message.OrderId == orderId);
        using var stockRefused = ConsumedSignal<StockReservationRejected>.On(orders, message => message.OrderId == orderId);
        await recorder.Publisher.Publish(seatsAnswer);
        await recorder.Publisher.Publish(stockAnswer);
        await recorder.Publisher.Publish(new HoldRejected(orderId, holdId, "fan-dup", HoldRejectionReasons.Expired, DateTimeOffset.UtcNow));
        await recorder.Publisher.Publish(new StockReservationRejected(orderId, "fan-dup", StockRejectionReasons.OutOfStock, productId, DateTimeOffset.UtcNow));
        await Task.WhenAll(seatsAgain.WaitAsync(), stockAgain.WaitAsync(), seatsRefused.WaitAsync(), stockRefused.WaitAsync());

        using var fan = platform.Fan("fan-dup");
        var after = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.Equal("Confirmed", after.GetProperty("status").GetString());
        Assert.Equal(confirmed.GetProperty("total").GetDecimal(), after.GetProperty("total").GetDecimal());
        Assert.Equal(2, after.GetProperty("lines").GetArrayLength());
        Assert.Equal(1, await AuthorizationsAsync(orderId));
        Assert.Single(await shop.TicketsAsync("fan-dup", 1));
        Assert.Equal(1, (await shop.ProductStateAsync(productId)).GetProperty("sold").GetInt32());
    }
}
