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
    /// <summary>The simulated processor's card that approves; <see cref="DecliningCard"/> is declined.</summary>
    public const string ApprovingCard = "4242 4242 4242 4242";

    public const string DecliningCard = "4000 0000 0000 0002";

    private static readonly HashSet<HttpStatusCode> NotServed =
        [HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout, HttpStatusCode.InternalServerError];

    private int unserved;

    /// <summary>Requests of the drop that were not served (a 5xx or a dropped connection) and were sent again.</summary>
    public int Unserved => unserved;

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

            Interlocked.Increment(ref unserved);
            await Task.Delay(300);
        }

        throw new TimeoutException($"{fanId} could not hold {seatId}");
    }

    public Task<Guid> CheckoutAsync(string fanId, Guid holdId, Guid? productId, string card = ApprovingCard)
    {
        var body = new
        {
            holdId,
            items = productId is { } id ? new[] { new { productId = id, quantity = 1 } } : null,
            payment = new { cardNumber = card },
        };
        return OrdersThroughFaults.CheckoutAsync(
            fanId,
            body,
            async request =>
            {
                using var fan = platform.Client(TestTokens.Fan(fanId));
                try
                {
                    var response = await fan.SendAsync(request);
                    if (NotServed.Contains(response.StatusCode))
                    {
                        Interlocked.Increment(ref unserved);
                    }

                    return response;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref unserved);
                    throw;
                }
            },
            NotServed,
            TimeSpan.FromMinutes(3),
            TimeSpan.FromMilliseconds(300));
    }

    /// <summary>The fan lets the hold go (204, or 404 when a retried release already did).</summary>
    public Task ReleaseHoldAsync(string fanId, Guid holdId) =>
        SendUntilServedAsync(TestTokens.Fan(fanId), HttpMethod.Delete, $"/api/tickets/holds/{holdId}", null,
            HttpStatusCode.NoContent, HttpStatusCode.OK, HttpStatusCode.NotFound);

    /// <summary>An operator cancels the order: a pending one is cancelled, a confirmed one refunded.</summary>
    public Task CancelOrderAsync(Guid orderId) =>
        SendUntilServedAsync(TestTokens.Operator("chaos-operator"), HttpMethod.Post, $"/api/orders/{orderId}/cancel", null, HttpStatusCode.OK);

    /// <summary>An operator calls the concert off: its tickets are voided and its orders refunded.</summary>
    public Task CancelConcertAsync(Guid concertId) =>
        SendUntilServedAsync(TestTokens.Operator("chaos-operator"), HttpMethod.Post, $"/api/catalog/concerts/{concertId}/cancel",
            new { reason = "Chaos test: called off" }, HttpStatusCode.OK);

    /// <summary>An operator adds units to the product (not idempotent: a restock sent twice adds twice).</summary>
    public Task RestockAsync(Guid productId, int quantity) =>
        SendUntilServedAsync(TestTokens.Operator("chaos-operator"), HttpMethod.Post, $"/api/catalog/products/{productId}/restock",
            new { quantity }, HttpStatusCode.OK);

    private async Task SendUntilServedAsync(string token, HttpMethod method, string path, object? body, params HttpStatusCode[] expected)
    {
        var last = "";
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var client = platform.Client(token);
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
                using var response = await client.SendAsync(request);
                if (expected.Contains(response.StatusCode))
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (!NotServed.Contains(response.StatusCode))
                {
                    throw new InvalidOperationException($"{method} {path} answered {last}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            Interlocked.Increment(ref unserved);
            await Task.Delay(300);
        }

        throw new TimeoutException($"{method} {path} was never served; last answer: {last}");
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
