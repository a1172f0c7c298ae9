using Marten;
using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;
using Ticketing.Insights.Metrics;

namespace Ticketing.Insights.Tests;

/// <summary>Every integration message delivered a second time (same message id) is recorded once: no number moves.</summary>
[Collection(LiveInsightsCollection.Name)]
public sealed class Duplicate_events(InsightsFixture platform, ITestOutputHelper output)
{
    private static readonly Type[] Consumed =
    [
        typeof(ConcertPublished), typeof(SeatsHeld), typeof(SeatsReleased), typeof(TicketsIssued), typeof(ProductPublished),
        typeof(OrderPlaced), typeof(OrderConfirmed), typeof(OrderCancelled), typeof(HoldConfirmed),
        typeof(StockReserved), typeof(StockCommitted), typeof(StockReleased),
    ];

    [Fact]
    public async Task Change_no_number()
    {
        await using var recorder = await MessageRecorder.StartAsync(platform.Bus.AmqpUri, Consumed);
        var concertId = await platform.ConcertOnSaleAsync("Echo Night");
        var productId = await platform.ProductAsync("Echo Tee", 25m, stock: 10);
        var kept = await platform.OrderAsync("fan-echo-1", await platform.HoldAsync("fan-echo-1", concertId, "V-1-3", "V-1-4"), [(productId, 2)], InsightsFixture.ApprovingCard);
        var refunded = await platform.OrderAsync("fan-echo-2", await platform.HoldAsync("fan-echo-2", concertId, "R-1-9"), [(productId, 1)], InsightsFixture.ApprovingCard);
        Assert.Equal(("Confirmed", "Confirmed"), (kept.Status, refunded.Status));
        await platform.RefundAsync(refunded.OrderId);

        var concert = await platform.UntilAsync($"/api/insights/concerts/{concertId}", c => (int?)c["concert"]!["sold"] == 2 && (int?)c["concert"]!["held"] == 0);
        var product = await platform.UntilAsync($"/api/insights/products/{productId}", p => (int?)p["product"]!["sold"] == 2 && (int?)p["product"]!["returned"] == 1);
        await Polling.UntilAsync(() => Task.FromResult(recorder.All<StockReleased>().Any(m => m.OrderId == refunded.OrderId)), InsightsFixture.Patience);
        await platform.ProjectionsCaughtUpAsync();
        var overview = await platform.GetAsync("/api/insights/overview");
        concert = await platform.GetAsync($"/api/insights/concerts/{concertId}");
        product = await platform.GetAsync($"/api/insights/products/{productId}");

        var store = platform.Insights.Services.GetRequiredService<IDocumentStore>();
        var metrics = platform.Insights.Services.GetRequiredService<InsightsMetrics>();
        var eventsBefore = await CountEventsAsync(store);
        var duplicatesBefore = metrics.DuplicatesIgnored;

        var copies = recorder.AllWithIds<object>();
        foreach (var (message, messageId) in copies)
        {
            await recorder.Publisher.Publish(message, message.GetType(), context => context.MessageId = messageId);
        }

        output.WriteLine($"Published {copies.Count} messages again: {string.Join(", ", copies.GroupBy(c => c.Message.GetType().Name).Select(g => $"{g.Count()} {g.Key}"))}.");
        await Polling.UntilAsync(() => Task.FromResult(metrics.DuplicatesIgnored - duplicatesBefore >= copies.Count), InsightsFixture.Patience);
        await platform.ProjectionsCaughtUpAsync();

        // At least the copies (the platform may have delivered something twice on its own meanwhile).
        Assert.True(metrics.DuplicatesIgnored - duplicatesBefore >= copies.Count);
        Assert.Equal(eventsBefore, await CountEventsAsync(store));
        Assert.Equal(InsightsFixture.Numbers(overview), InsightsFixture.Numbers(await platform.GetAsync("/api/insights/overview")));
        Assert.Equal(InsightsFixture.Numbers(concert), InsightsFixture.Numbers(await platform.GetAsync($"/api/insights/concerts/{concertId}")));
        Assert.Equal(InsightsFixture.Numbers(product), InsightsFixture.Numbers(await platform.GetAsync($"/api/insights/products/{productId}")));
    }

    private static async Task<int> CountEventsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }
}
