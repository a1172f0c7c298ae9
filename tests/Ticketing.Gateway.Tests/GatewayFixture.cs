namespace Ticketing.Gateway.Tests;

/// <summary>
/// The whole platform with the development issuer and the API reference on and a small per-fan limit on holds and checkouts, and a
/// small world to try the routes on: a concert on sale, a product, and fan-a's holds and confirmed order.
/// </summary>
public sealed class GatewayFixture : PlatformFixture, IAsyncLifetime
{
    public const int HoldLimitPerFan = 20;
    public const string Owner = "fan-a";
    public const string OtherFan = "fan-b";
    public const string ApprovingCard = "4242 4242 4242 4242";

    public Guid ConcertId { get; private set; }
    public Guid ProductId { get; private set; }

    /// <summary>fan-a's hold, left held.</summary>
    public Guid HoldId { get; private set; }

    /// <summary>fan-a's hold that the route table releases.</summary>
    public Guid HoldToReleaseId { get; private set; }

    /// <summary>fan-a's confirmed order (of a checked-out hold and one product).</summary>
    public Guid OrderId { get; private set; }

    /// <summary>On a real port, so that requests pass Kestrel's parsing as a client's would (header encodings, raw bytes).</summary>
    protected override bool GatewayListens => true;

    /// <summary>
    /// Tickets polls its seat ledgers for seat-state listeners once an hour only: what a listener hears within the tests
    /// was pushed by the commit of this instance, not found by a poll.
    /// </summary>
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings)
    {
        if (service == "tickets")
        {
            settings["Tickets:SeatState:PollInterval"] = "01:00:00";
        }

        return settings;
    }

    protected override Dictionary<string, string?> ConfigureGateway(Dictionary<string, string?> settings)
    {
        settings["Auth:DevelopmentIssuer:Enabled"] = "true";
        // The development surfaces are on, as with ./ticketing up: the services' documents and the API reference.
        settings["Gateway:ApiReference:Enabled"] = "true";
        settings["Gateway:RateLimits:FanHolds:PermitLimit"] = HoldLimitPerFan.ToString();
        settings["Gateway:RateLimits:FanHolds:Window"] = "00:00:10";
        return settings;
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var op = Operator();
        ConcertId = await ConcertOnSaleAsync(op);
        ProductId = await ProductAsync(op, stock: 100);
        HoldId = await HoldAsync(Owner, "A-1-1");
        HoldToReleaseId = await HoldAsync(Owner, "A-1-2");
        var checkedOut = await HoldAsync(Owner, "A-1-3");
        OrderId = await CheckoutAsync(Owner, new { holdId = checkedOut, items = new[] { new { productId = ProductId, quantity = 1 } }, payment = new { cardNumber = ApprovingCard } });
        await UntilAsync(async () =>
        {
            using var fan = Fan(Owner);
            var order = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{OrderId}");
            return order.GetProperty("status").GetString() == "Confirmed";
        });

        // Tickets sells the checked-out seat when it hears the order was confirmed: until then the public reads of the
        // seats would change under the tests that compare two of them.
        var shop = new Shop(this);
        await UntilAsync(async () => (await shop.SeatsAsync(ConcertId))["A-1-3"] == "sold");
    }

    public static object ConcertBody() => TestConcerts.OnSale("Gateway Night", "Han River Arena", ticketLimitPerFan: 8, [30, 30]);

    public static object ProductBody() => TestProducts.Body(stock: 100, limitPerFan: 50);

    public Task<Guid> ConcertOnSaleAsync(HttpClient op) => TestConcerts.PublishAsync(op, Client, ConcertBody(), TimeSpan.FromSeconds(30));

    private static async Task<Guid> ProductAsync(HttpClient op, int stock)
    {
        using var created = await op.PostAsJsonAsync("/api/catalog/products", ProductBody());
        return (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> HoldAsync(string fanId, params string[] seatIds)
    {
        using var fan = Fan(fanId);
        using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{ConcertId}/holds", new { seatIds });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
    }

    /// <summary>Checks out; retries while Orders has not yet heard of a product that was just listed.</summary>
    public async Task<Guid> CheckoutAsync(string fanId, object body)
    {
        using var fan = Fan(fanId);
        return await Polling.CheckoutAsync(fan, body);
    }

    /// <summary>
    /// A route template with the ids of this small world put in: <c>{concert}</c>, <c>{product}</c>, <c>{hold}</c> (fan-a's
    /// hold left held), <c>{holdToRelease}</c> and <c>{order}</c>.
    /// </summary>
    public string Resolve(string template) => template
        .Replace("{concert}", ConcertId.ToString())
        .Replace("{product}", ProductId.ToString())
        .Replace("{holdToRelease}", HoldToReleaseId.ToString())
        .Replace("{hold}", HoldId.ToString())
        .Replace("{order}", OrderId.ToString());

    /// <summary>
    /// A client of the gateway as <paramref name="caller"/>: <c>fan</c> (<paramref name="fanId"/>, fan-a unless named),
    /// <c>operator</c>, or <c>anonymous</c>.
    /// </summary>
    public HttpClient Caller(string caller, string fanId = Owner) => caller switch
    {
        "fan" => Fan(fanId),
        "operator" => Operator(),
        "anonymous" => Gateway.CreateClient(),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "fan, operator or anonymous"),
    };

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        Polling.UntilAsync(condition, timeout ?? TimeSpan.FromSeconds(30));
}
