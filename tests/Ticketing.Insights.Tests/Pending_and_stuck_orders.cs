using MassTransit;

namespace Ticketing.Insights.Tests;

/// <summary>Orders are stuck for operators after two seconds here (three minutes in production: the checkout's time-out).</summary>
public sealed class StuckOrdersFixture : InsightsFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) =>
        FixtureSettings.ForService("insights", service, settings, ("Insights:StuckOrderAfter", "00:00:02"));
}

/// <summary>
/// An order whose hold Tickets never answers stays Pending: the overview counts it pending at once and lists it as stuck
/// once it is older than <c>Insights:StuckOrderAfter</c>, with an alert; a decided order is neither.
/// </summary>
public sealed class Pending_and_stuck_orders(StuckOrdersFixture platform) : IClassFixture<StuckOrdersFixture>
{
    /// <summary>
    /// An order's activity is written up to three times in a sale: its table indexes what the overview reads (the latest
    /// updated, the pending ones by when they were placed), so a decided order leaves the pending index and has no status
    /// index to update.
    /// </summary>
    [Fact]
    public async Task Pending_orders_are_found_in_an_index_of_the_pending_ones_only()
    {
        var indexes = await TableIndexes.OfAsync(platform.Insights.Settings["ConnectionStrings:Postgres"]!, "mt_doc_orderactivity");

        Assert.Equal(["btree (id)", "btree (placed_at) WHERE ((status)::text = 'Pending'::text)", "btree (updated_at)"], indexes);
    }

    [Fact]
    public async Task An_order_left_pending_is_counted_and_then_shown_stuck_and_a_decided_one_is_not()
    {
        var concertId = await platform.ConcertOnSaleAsync("Stuck Night");
        var decided = await platform.OrderAsync("fan-quick", await platform.HoldAsync("fan-quick", concertId, "R-1-1"), [], InsightsFixture.ApprovingCard);
        var holdId = await platform.HoldAsync("fan-waiting", concertId, "R-1-2");

        // Tickets stops answering: its bus is down, so the order's ConfirmHold waits in its queue and the order stays Pending.
        await platform.Tickets.Services.GetRequiredService<IBusControl>().StopAsync();
        using var fan = platform.Fan("fan-waiting");
        var waiting = await Polling.CheckoutAsync(fan, new { holdId, items = Array.Empty<object>(), payment = new { cardNumber = InsightsFixture.ApprovingCard } });

        var overview = await platform.UntilAsync("/api/insights/overview", o =>
            (int?)o["orders"]!["pending"] == 1 && o["stuckOrders"]!.AsArray().Count == 1);

        var stuck = Assert.Single(overview["stuckOrders"]!.AsArray());
        Assert.Equal(waiting, stuck!["orderId"]!.GetValue<Guid>());
        Assert.Equal("Pending", stuck["status"]!.GetValue<string>());
        Assert.Equal("Confirmed", decided.Status);
        Assert.Contains(overview["alerts"]!.AsArray(), alert => alert!["kind"]!.GetValue<string>() == "orders_stuck");
    }
}
