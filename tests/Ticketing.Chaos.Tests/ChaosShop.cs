using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Testing;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// What operators and fans do in a drop, through the gateway, as a fan's app would while things break: a request the
/// gateway could not serve (502, 503, 504, a dropped connection) is sent again, a checkout with the same Idempotency-Key.
/// </summary>
internal sealed class ChaosShop(ChaosPlatform platform)
{
    private static readonly HashSet<HttpStatusCode> NotServed =
        [HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout, HttpStatusCode.InternalServerError];

    public async Task<Guid> ConcertOnSaleAsync(int rows, int seatsPerRow)
    {
        using var op = platform.Client(TestTokens.Operator("chaos-operator"));
        using var anyone = platform.Client();
        return await TestConcerts.PublishAsync(op, anyone,
            TestConcerts.OnSale("Chaos Night", "Olympic Stadium", 4, Enumerable.Repeat(seatsPerRow, rows).ToList()), TimeSpan.FromSeconds(90));
    }

    public async Task<Guid> ProductAsync(int stock)
    {
        using var op = platform.Client(TestTokens.Operator("chaos-operator"));
        using var created = await op.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = $"CHAOS-{Guid.NewGuid():N}"[..20], name = "Official Lightstick", artist = "NOVA", price = 45000m, currency = "KRW", stock, limitPerFan = 2,
        });
        return (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The hold id, or null when the seat went to someone else (409).</summary>
    public async Task<Guid?> TryHoldAsync(string fanId, Guid concertId, string seatId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var fan = platform.Client(TestTokens.Fan(fanId));
                using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { seatId } });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
                }

                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    return null;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(300);
        }

        throw new TimeoutException($"{fanId} could not hold {seatId}");
    }

    public Task<Guid> CheckoutAsync(string fanId, Guid holdId, Guid? productId)
    {
        var body = new
        {
            holdId,
            items = productId is { } id ? new[] { new { productId = id, quantity = 1 } } : null,
            payment = new { cardNumber = "4242 4242 4242 4242" },
        };
        return OrdersThroughFaults.CheckoutAsync(
            fanId,
            body,
            async request =>
            {
                using var fan = platform.Client(TestTokens.Fan(fanId));
                return await fan.SendAsync(request);
            },
            NotServed,
            TimeSpan.FromMinutes(3),
            TimeSpan.FromMilliseconds(300));
    }

    public async Task<IReadOnlyDictionary<Guid, JsonElement>> FinalOrdersAsync(IReadOnlyList<(string Fan, Guid OrderId)> orders, TimeSpan timeout)
    {
        using var op = platform.Client(TestTokens.Operator("chaos-operator"));
        return await OrdersThroughFaults.FinalOrdersAsync(orders, order => op.GetAsync($"/api/orders/{order.OrderId}"), timeout, TimeSpan.FromSeconds(1));
    }

    public async Task<Dictionary<string, string>> SeatStatusesAsync(Guid concertId)
    {
        using var anyone = platform.Client();
        var map = await anyone.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seats");
        return map.GetProperty("seats").EnumerateArray()
            .ToDictionary(seat => seat.GetProperty("seatId").GetString()!, seat => seat.GetProperty("status").GetString()!);
    }

    public async Task<JsonElement> ProductStateAsync(Guid productId)
    {
        using var anyone = platform.Client();
        return await anyone.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{productId}");
    }

    public async Task<JsonElement> OverviewAsync()
    {
        using var op = platform.Client(TestTokens.Operator("chaos-operator"));
        return await op.GetFromJsonAsync<JsonElement>("/api/insights/overview");
    }
}
