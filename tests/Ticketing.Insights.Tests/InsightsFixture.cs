using System.Text.Json.Nodes;

namespace Ticketing.Insights.Tests;

/// <summary>The whole platform with Insights, and the steps an operator's day is made of, all through the gateway.</summary>
public class InsightsFixture : PlatformFixture
{
    public const string ApprovingCard = "4242 4242 4242 4242";
    public const string DecliningCard = "4000 0000 0000 0002";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>A concert on sale: tier VIP (section V, 2 rows of 5, 200 USD) and tier R (section R, 1 row of 10, 100 USD).</summary>
    public async Task<Guid> ConcertOnSaleAsync(string title)
    {
        using var op = Operator();
        var concert = TestConcerts.Body(title, "Han River Arena", ticketLimitPerFan: 8,
            [new("VIP", "VIP", 200m, "USD"), new("R", "R seat", 100m, "USD")], [new("V", "VIP", 5, 5), new("R", "R", 10)], daysAhead: 30);
        return await TestConcerts.PublishAsync(op, Client, concert, Patience);
    }

    public async Task<Guid> ProductAsync(string name, decimal price, int stock)
    {
        using var op = Operator();
        return await TestProducts.ListAsync(op, TestProducts.Body(name, price, "USD", stock, limitPerFan: 10));
    }

    public async Task<Guid> HoldAsync(string fanId, Guid concertId, params string[] seatIds)
    {
        using var fan = Fan(fanId);
        using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
    }

    /// <summary>Checks out a hold and/or merch, and waits until the order has ended (or is confirmed).</summary>
    public async Task<(Guid OrderId, string Status, string? Reason)> OrderAsync(string fanId, Guid? holdId, (Guid ProductId, int Quantity)[] items, string card)
    {
        using var fan = Fan(fanId);
        var orderId = await Polling.CheckoutAsync(fan, new
        {
            holdId,
            items = items.Select(item => new { productId = item.ProductId, quantity = item.Quantity }).ToArray(),
            payment = new { cardNumber = card },
        });
        var (status, reason) = await SettledAsync(orderId);
        return (orderId, status, reason);
    }

    public async Task<(string Status, string? Reason)> SettledAsync(Guid orderId)
    {
        using var op = Operator();
        string status = "Pending";
        string? reason = null;
        await Polling.UntilAsync(async () =>
        {
            var order = await op.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
            status = order.GetProperty("status").GetString()!;
            reason = order.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return status != "Pending";
        }, Patience);
        return (status, reason);
    }

    public async Task RefundAsync(Guid orderId)
    {
        using var op = Operator();
        using var response = await op.PostAsync($"/api/orders/{orderId}/cancel", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonObject> GetAsync(string path)
    {
        using var op = Operator();
        using var response = await op.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Polls an Insights route until <paramref name="done"/> holds for its answer, and returns that answer.</summary>
    public async Task<JsonObject> UntilAsync(string path, Func<JsonObject, bool> done)
    {
        JsonObject? last = null;
        try
        {
            await Polling.UntilAsync(async () =>
            {
                using var op = Operator();
                using var response = await op.GetAsync(path);
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }

                last = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                return done(last);
            }, Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{path} never came to the expected state; last answer: {last?.ToJsonString()}");
        }

        return last!;
    }

    /// <summary>Waits until every Insights projection has processed every recorded event.</summary>
    public Task ProjectionsCaughtUpAsync() =>
        Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Marten.IDocumentStore>(Insights.Services), Patience);

    /// <summary>The answer without what changes by itself (the clock and the progress counter).</summary>
    public static string Numbers(JsonObject answer)
    {
        var copy = answer.DeepClone().AsObject();
        copy.Remove("generatedAt");
        copy.Remove("version");
        return copy.ToJsonString();
    }
}
