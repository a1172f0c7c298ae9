using Marten;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Tests;

public sealed class Surviving_a_crash(SlowPaymentsFixture platform) : IClassFixture<SlowPaymentsFixture>
{
    private readonly Shop shop = new(platform);

    private async Task<string> QueuesAsync()
    {
        using var http = new HttpClient();
        var management = platform.Servers.RabbitMqManagement;
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        var queues = await http.GetFromJsonAsync<JsonElement>($"{management.GetLeftPart(UriPartial.Authority)}/api/queues/{Uri.EscapeDataString(platform.Bus.Name)}");
        var dead = await platform.Bus.Management.PeekAsync(platform.Bus.Name, "orders-merch-reserved_error", 1);
        var why = dead.Count > 0 ? dead[0].GetProperty("properties").GetProperty("headers").ToString() : "";
        return why + " " + string.Join(", ", queues.EnumerateArray()
            .Where(queue => queue.TryGetProperty("messages", out var count) && count.GetInt32() > 0)
            .Select(queue => $"{queue.GetProperty("name").GetString()}={queue.GetProperty("messages").GetInt32()}"));
    }

    [Fact]
    public async Task Orders_stopped_mid_checkout_finish_every_order_once_after_a_restart()
    {
        var productId = await shop.ProductAsync(stock: 100, limitPerFan: 1);
        await shop.FinalOrderAsync("crash-warmup", await shop.CheckoutAsync("crash-warmup", items: [(productId, 1)]));
        var orders = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            (Fan: $"crash-fan-{i}", OrderId: await shop.CheckoutAsync($"crash-fan-{i}", items: [(productId, 1)]))));

        // Stop Orders while its checkouts are in flight; answers for them pile up in its queues meanwhile.
        int pendingAtStop;
        await using (var before = platform.Orders.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var placed = orders.Select(order => order.OrderId).ToList();
            pendingAtStop = await before.Query<Order>().CountAsync(order => placed.Contains(order.Id) && order.Status == OrderStatus.Pending);
        }

        // Stop its bus first, as the host does on SIGTERM, then the whole service.
        await platform.Orders.Services.GetRequiredService<MassTransit.IBusControl>().StopAsync();
        await platform.Orders.DisposeAsync();
        Assert.True(pendingAtStop > 0, "every order had finished before the stop; the test proved nothing");
        await using var restarted = new ServiceHost<Ticketing.Orders.OrdersService>(platform.OrdersSettings, listen: false);
        await restarted.StartAsync();

        foreach (var (fan, orderId) in orders)
        {
            using var client = restarted.CreateClient().WithToken(TestTokens.Fan(fan));
            var order = await shop.FinalOrderAsync(fan, orderId, client, TimeSpan.FromSeconds(60));
            Assert.True(order.GetProperty("status").GetString() == "Confirmed", $"{orderId}: {order} (pending at stop: {pendingAtStop}); queues: {await QueuesAsync()}");
        }

        await using var session = restarted.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ids = orders.Select(order => order.OrderId).ToList();
        var authorizations = await session.Query<SimulatedAuthorization>().Where(a => ids.Contains(a.Id)).ToListAsync();
        Assert.Equal(40, authorizations.Count); // one payment per order, none twice
        await shop.UntilSoldAsync(productId, 41);
        var product = await shop.ProductStateAsync(productId);
        Assert.Equal(0, product.GetProperty("reserved").GetInt32());
        Assert.Equal(59, product.GetProperty("available").GetInt32());
    }
}
