namespace Ticketing.Scaling.Tests;

/// <summary>What operators and fans do in a drop, through the gateway of a scaled platform, as steps the tests compose.</summary>
internal sealed class Drop(ScaledPlatformFixture platform)
{
    public const string ApprovingCard = "4242 4242 4242 4242";

    private static readonly HashSet<HttpStatusCode> GatewayLostTheInstance =
        [HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private readonly HttpClient operatorClient = platform.Operator();

    /// <summary>Publishes a concert with one section of <paramref name="rows"/> rows of <paramref name="seatsPerRow"/> seats (ids <c>A-{row}-{n}</c>).</summary>
    public Task<Guid> ConcertOnSaleAsync(int rows, int seatsPerRow, int ticketLimitPerFan = 4) => TestConcerts.PublishAsync(
        operatorClient,
        platform.Client,
        TestConcerts.OnSale("Scale Night", "Olympic Stadium", ticketLimitPerFan, Enumerable.Repeat(seatsPerRow, rows).ToList()),
        TimeSpan.FromSeconds(60));

    public static IReadOnlyList<string> SeatIds(int rows, int seatsPerRow) =>
        Enumerable.Range(1, rows).SelectMany(row => Enumerable.Range(1, seatsPerRow).Select(n => $"A-{row}-{n}")).ToList();

    public Task<Guid> ProductAsync(int stock, int limitPerFan) =>
        TestProducts.ListAsync(operatorClient, TestProducts.Body(stock: stock, limitPerFan: limitPerFan));

    /// <summary>
    /// Tries to hold <paramref name="seatIds"/> through the gateway, or at one instance of Tickets; the hold id, or
    /// null when the seats were taken (409).
    /// </summary>
    public async Task<(Guid? HoldId, HttpStatusCode Status)> TryHoldAsync(string fanId, Guid concertId, IReadOnlyList<string> seatIds, Uri? instance = null)
    {
        using var fan = instance is null ? platform.Fan(fanId) : new HttpClient { BaseAddress = instance }.WithToken(TestTokens.Fan(fanId));
        using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds });
        return response.StatusCode == HttpStatusCode.Created
            ? ((await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid(), response.StatusCode)
            : (null, response.StatusCode);
    }

    /// <summary>
    /// Checks out as a fan would: one Idempotency-Key for the purchase, sent again while the gateway answers that it
    /// lost the instance (502/503/504) or the connection drops, and while Orders has not yet heard of a new product.
    /// </summary>
    public async Task<Guid> CheckoutAsync(string fanId, Guid? holdId = null, (Guid ProductId, int Quantity)[]? items = null)
    {
        using var fan = platform.Fan(fanId);
        var body = new
        {
            holdId,
            items = items?.Select(item => new { productId = item.ProductId, quantity = item.Quantity }).ToArray(),
            payment = new { cardNumber = ApprovingCard },
        };
        return await OrdersThroughFaults.CheckoutAsync(
            fanId, body, request => fan.SendAsync(request), GatewayLostTheInstance, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Waits until every order is Confirmed or Cancelled (reading through the gateway as its fan) and returns each one.</summary>
    public Task<IReadOnlyDictionary<Guid, JsonElement>> FinalOrdersAsync(IReadOnlyList<(string Fan, Guid OrderId)> orders, TimeSpan timeout) =>
        OrdersThroughFaults.FinalOrdersAsync(
            orders,
            async order =>
            {
                using var fan = platform.Fan(order.Fan);
                return await fan.GetAsync($"/api/orders/{order.OrderId}");
            },
            timeout,
            TimeSpan.FromMilliseconds(500));

    /// <summary>
    /// The public seat map through the gateway once it shows <paramref name="settled"/> (it is up to a quarter second
    /// old at Tickets and a second more in the gateway's cache), or as it stands after 30 s, for the test to assert on.
    /// </summary>
    public Task<Dictionary<string, string>> SeatStatusesAsync(Guid concertId, Func<Dictionary<string, string>, bool> settled) =>
        Polling.SettledAsync(async () =>
        {
            var map = await platform.Client.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seats");
            return map.GetProperty("seats").EnumerateArray()
                .ToDictionary(seat => seat.GetProperty("seatId").GetString()!, seat => seat.GetProperty("status").GetString()!);
        }, settled, TimeSpan.FromSeconds(30));

    public async Task<JsonElement> ProductStateAsync(Guid productId) =>
        await platform.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}");

    /// <summary>Rows of a SQL query on a service's database (the tests' view of what the services stored).</summary>
    public Task<IReadOnlyList<object[]>> QueryAsync(string service, string sql) => platform.Database(service).QueryAsync(sql);
}
