using Xunit;

namespace Ticketing.Testing;

/// <summary>What a fan and an operator do through the gateway, as steps the tests compose.</summary>
public sealed class Shop(PlatformFixture platform)
{
    private readonly HttpClient operatorClient = platform.Operator();

    public const string ApprovingCard = "4242 4242 4242 4242";
    public const string DecliningCard = "4000000000000002";

    public Task<Guid> ConcertOnSaleAsync(int ticketLimitPerFan = 4) => TestConcerts.PublishAsync(
        operatorClient, platform.Client, TestConcerts.OnSale("Checkout Night", "Han River Arena", ticketLimitPerFan, [20, 20]), TimeSpan.FromSeconds(20));

    public Task<Guid> ProductAsync(int stock, int limitPerFan = 2) =>
        TestProducts.ListAsync(operatorClient, TestProducts.Body(stock: stock, limitPerFan: limitPerFan));

    public async Task<Guid> HoldAsync(string fanId, Guid concertId, params string[] seatIds)
    {
        using var fan = platform.Fan(fanId);
        using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
    }

    /// <summary>Checks out; retries while Orders has not yet heard of a product that was just listed.</summary>
    public async Task<Guid> CheckoutAsync(string fanId, Guid? holdId = null, (Guid ProductId, int Quantity)[]? items = null, string card = ApprovingCard)
    {
        using var fan = platform.Fan(fanId);
        var body = new
        {
            holdId,
            items = items?.Select(item => new { productId = item.ProductId, quantity = item.Quantity }).ToArray(),
            payment = new { cardNumber = card },
        };
        return await Polling.CheckoutAsync(fan, body);
    }

    /// <summary>Waits until the order is Confirmed or Cancelled and returns it.</summary>
    public async Task<JsonElement> FinalOrderAsync(string fanId, Guid orderId, HttpClient? client = null, TimeSpan? timeout = null)
    {
        using var own = client is null ? platform.Fan(fanId) : null;
        var fan = client ?? own!;
        JsonElement order = default;
        await UntilAsync(async () =>
        {
            order = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
            return order.GetProperty("status").GetString() != "Pending";
        }, timeout ?? TimeSpan.FromSeconds(30));
        return order;
    }

    /// <summary>Checks out with an approving card, waits until the order is final, asserts it is Confirmed and returns it.</summary>
    public async Task<JsonElement> ConfirmedOrderAsync(string fanId, Guid? holdId = null, (Guid ProductId, int Quantity)[]? items = null)
    {
        var order = await FinalOrderAsync(fanId, await CheckoutAsync(fanId, holdId, items));
        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        return order;
    }

    /// <summary>Waits until the Catalog counts <paramref name="sold"/> units of the product as sold (it hears of confirmed orders by message).</summary>
    public Task UntilSoldAsync(Guid productId, int sold, TimeSpan? timeout = null) =>
        UntilAsync(async () => (await ProductStateAsync(productId)).GetProperty("sold").GetInt32() == sold, timeout);

    public async Task<JsonElement> ProductStateAsync(Guid productId) =>
        await platform.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}");

    /// <summary>
    /// The seat map as Tickets has it now, read from Tickets itself (its seat ledger answers with every committed
    /// change; the gateway's one-second cache of the public map is tested with the gateway).
    /// </summary>
    public async Task<Dictionary<string, string>> SeatsAsync(Guid concertId)
    {
        using var tickets = platform.Tickets.CreateClient();
        var map = await tickets.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seats");
        return map.GetProperty("seats").EnumerateArray().ToDictionary(s => s.GetProperty("seatId").GetString()!, s => s.GetProperty("status").GetString()!);
    }

    public async Task<List<JsonElement>> TicketsAsync(string fanId, int atLeast)
    {
        using var fan = platform.Fan(fanId);
        List<JsonElement> tickets = [];
        await UntilAsync(async () =>
        {
            tickets = (await fan.GetFromJsonAsync<List<JsonElement>>("/api/tickets/mine"))!;
            return tickets.Count >= atLeast;
        });
        return tickets;
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        Polling.UntilAsync(condition, timeout ?? TimeSpan.FromSeconds(20));
}
