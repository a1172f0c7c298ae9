using Marten;
using Marten.Events.Daemon.Coordination;

namespace Ticketing.Insights.Tests;

public sealed class ScriptedSalesFixture : InsightsFixture;

/// <summary>
/// Given a concert and a product, when five fans order (confirmed, declined, out of stock, refunded, confirmed),
/// then the overview, the concert and the product show exactly those numbers, and a rebuild from zero shows them again.
/// </summary>
public sealed class Scripted_sales_add_up(ScriptedSalesFixture platform, ITestOutputHelper output) : IClassFixture<ScriptedSalesFixture>
{
    [Fact]
    public async Task The_numbers_are_exactly_the_orders_and_a_rebuild_from_zero_gives_the_same()
    {
        var concertId = await platform.ConcertOnSaleAsync("Scripted Night");
        var productId = await platform.ProductAsync("Lightstick v3", 30m, stock: 3);

        // 1. Two VIP seats and a lightstick, paid.
        var confirmed = await platform.OrderAsync("fan-1", await platform.HoldAsync("fan-1", concertId, "V-1-1", "V-1-2"), [(productId, 1)], InsightsFixture.ApprovingCard);
        // 2. An R seat, card declined.
        var declined = await platform.OrderAsync("fan-2", await platform.HoldAsync("fan-2", concertId, "R-1-1"), [], InsightsFixture.DecliningCard);
        // 3. Five lightsticks when two are left.
        var outOfStock = await platform.OrderAsync("fan-3", null, [(productId, 5)], InsightsFixture.ApprovingCard);
        // 4. An R seat and a lightstick, paid, then refunded.
        var refunded = await platform.OrderAsync("fan-4", await platform.HoldAsync("fan-4", concertId, "R-1-2"), [(productId, 1)], InsightsFixture.ApprovingCard);
        // 5. An R seat, paid.
        var kept = await platform.OrderAsync("fan-5", await platform.HoldAsync("fan-5", concertId, "R-1-3"), [], InsightsFixture.ApprovingCard);

        Assert.Equal(("Confirmed", (string?)null), (confirmed.Status, confirmed.Reason));
        Assert.Equal(("Cancelled", "payment_declined"), (declined.Status, declined.Reason));
        Assert.Equal(("Cancelled", "out_of_stock"), (outOfStock.Status, outOfStock.Reason));
        Assert.Equal("Confirmed", refunded.Status);
        Assert.Equal("Confirmed", kept.Status);
        await platform.RefundAsync(refunded.OrderId);

        var overview = await platform.UntilAsync("/api/insights/overview", o =>
            (int?)o["orders"]!["refunded"] == 1 && (int?)o["tickets"]!["sold"] == 3 && (int?)o["tickets"]!["held"] == 0 &&
            (int?)o["merch"]!["sold"] == 1 && (int?)o["merch"]!["reserved"] == 0 && (int?)o["orders"]!["placed"] == 5);
        var concert = await platform.UntilAsync($"/api/insights/concerts/{concertId}", c => (int?)c["concert"]!["sold"] == 3 && (int?)c["concert"]!["held"] == 0);
        var product = await platform.UntilAsync($"/api/insights/products/{productId}", p => (int?)p["product"]!["returned"] == 1);
        await platform.ProjectionsCaughtUpAsync();
        overview = await platform.GetAsync("/api/insights/overview");
        concert = await platform.GetAsync($"/api/insights/concerts/{concertId}");
        product = await platform.GetAsync($"/api/insights/products/{productId}");
        output.WriteLine(overview.ToJsonString());

        // Orders and payments.
        var orders = overview["orders"]!;
        Assert.Equal(5, (int)orders["placed"]!);
        Assert.Equal(3, (int)orders["confirmed"]!);
        Assert.Equal(2, (int)orders["cancelled"]!);
        Assert.Equal(1, (int)orders["refunded"]!);
        Assert.Equal(0, (int)orders["pending"]!);
        Assert.Equal(
            new Dictionary<string, int> { ["payment_declined"] = 1, ["out_of_stock"] = 1, ["refunded"] = 1 },
            orders["cancelledByReason"]!.AsObject().ToDictionary(pair => pair.Key, pair => (int)pair.Value!));
        Assert.Equal(4, (int)overview["payments"]!["attempted"]!);
        Assert.Equal(1, (int)overview["payments"]!["declined"]!);
        Assert.Equal(0.25, (double)overview["payments"]!["declineRate"]!);

        // Revenue: 2 VIP (400) + 1 R (100) + 1 lightstick (30); the refunded R seat and lightstick are taken off.
        var revenue = Assert.Single(overview["revenue"]!.AsArray());
        Assert.Equal("USD", (string)revenue!["currency"]!);
        Assert.Equal(530m, (decimal)revenue["value"]!);

        // Seats: 20 in all, 3 sold, none held.
        Assert.Equal(20, (int)overview["tickets"]!["capacity"]!);
        Assert.Equal(17, (int)overview["tickets"]!["available"]!);
        var vip = concert["concert"]!["tiers"]!.AsArray().Single(t => (string)t!["code"]! == "VIP")!;
        var r = concert["concert"]!["tiers"]!.AsArray().Single(t => (string)t!["code"]! == "R")!;
        Assert.Equal((10, 2, 0, 400m, 0.2), ((int)vip["capacity"]!, (int)vip["sold"]!, (int)vip["held"]!, (decimal)vip["revenue"]!, (double)vip["sellThrough"]!));
        Assert.Equal((10, 1, 0, 100m, 0.1), ((int)r["capacity"]!, (int)r["sold"]!, (int)r["held"]!, (decimal)r["revenue"]!, (double)r["sellThrough"]!));
        Assert.Equal(500m, (decimal)concert["concert"]!["revenue"]!);

        // The heat map: V-1-1, V-1-2 and R-1-3 sold; the declined and refunded seats are available again.
        var rows = concert["seatMap"]!["sections"]!.AsArray()
            .SelectMany(s => s!["rows"]!.AsArray().Select(row => ($"{s["code"]}-{row!["label"]}", (string)row["statuses"]!)))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2);
        Assert.Equal("ssaaa", rows["V-1"]);
        Assert.Equal("aaaaa", rows["V-2"]);
        Assert.Equal("aasaaaaaaa", rows["R-1"]);

        // Merch: 3 in stock, 1 sold, 1 returned, 2 available, 30 USD.
        var merch = product["product"]!;
        Assert.Equal((3, 1, 1, 0, 2, 30m), ((int)merch["stock"]!, (int)merch["sold"]!, (int)merch["returned"]!, (int)merch["reserved"]!, (int)merch["available"]!, (decimal)merch["revenue"]!));

        // The recent orders list each order with its status.
        var recent = overview["recentOrders"]!.AsArray().ToDictionary(o => (Guid)o!["orderId"]!, o => (string)o!["status"]!);
        Assert.Equal("Confirmed", recent[confirmed.OrderId]);
        Assert.Equal("Cancelled", recent[declined.OrderId]);
        Assert.Equal("Refunded", recent[refunded.OrderId]);

        // Rebuild from zero: the read models are deleted (the numbers drop to nothing), then replayed from the recorded events.
        var before = (InsightsFixture.Numbers(overview), InsightsFixture.Numbers(concert), InsightsFixture.Numbers(product));
        var store = platform.Insights.Services.GetRequiredService<IDocumentStore>();
        var daemon = platform.Insights.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.StopAllAsync();
        foreach (var type in InsightsProjections.Documents)
        {
            await store.Advanced.Clean.DeleteDocumentsByTypeAsync(type);
        }

        var emptied = await platform.GetAsync("/api/insights/overview");
        Assert.Equal(0, (int)emptied["orders"]!["placed"]!);
        Assert.Empty(emptied["concerts"]!.AsArray());

        await daemon.RebuildProjectionAsync(InsightsProjections.Name, TimeSpan.FromMinutes(1), CancellationToken.None);

        await daemon.StartAllAsync();
        await platform.ProjectionsCaughtUpAsync();
        var rebuilt = (
            InsightsFixture.Numbers(await platform.GetAsync("/api/insights/overview")),
            InsightsFixture.Numbers(await platform.GetAsync($"/api/insights/concerts/{concertId}")),
            InsightsFixture.Numbers(await platform.GetAsync($"/api/insights/products/{productId}")));
        Assert.Equal(before.Item1, rebuilt.Item1);
        Assert.Equal(before.Item2, rebuilt.Item2);
        Assert.Equal(before.Item3, rebuilt.Item3);
    }
}
