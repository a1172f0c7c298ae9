using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Threading.Channels;
using Marten;
using Ticketing.Contracts.Orders;

namespace Ticketing.Insights.Tests;

/// <summary>An operator's stream of <c>/api/insights/stream</c> hears of a confirmed order within a second of its OrderConfirmed message.</summary>
[Collection(LiveInsightsCollection.Name)]
public sealed class The_live_stream(InsightsFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task Pushes_the_new_confirmed_count_within_a_second_of_the_confirmation()
    {
        var concertId = await platform.ConcertOnSaleAsync("Live Night");
        await using var recorder = await MessageRecorder.StartAsync(platform.Bus.AmqpUri, typeof(OrderConfirmed));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var op = platform.Operator();
        op.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/insights/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await op.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var updates = Channel.CreateUnbounded<(DateTimeOffset ReceivedAt, JsonElement Overview)>();
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        var reading = Task.Run(async () =>
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancel.Token))
            {
                if (item.EventType == "overview")
                {
                    var received = DateTimeOffset.UtcNow;
                    await updates.Writer.WriteAsync((received, JsonDocument.Parse(item.Data).RootElement.Clone()), cancel.Token);
                }
            }
        }, cancel.Token);

        // Places a confirmed order; returns when its confirmation was on the bus and when the stream first counted it.
        async Task<(OrderConfirmed Confirmation, DateTimeOffset OnTheBusBy, DateTimeOffset PushedAt)> ConfirmAndHearAsync(string fanId, string seatId, int confirmedBefore)
        {
            var holdId = await platform.HoldAsync(fanId, concertId, seatId);
            using var fan = platform.Fan(fanId);
            var orderId = await Polling.CheckoutAsync(fan, new { holdId, items = Array.Empty<object>(), payment = new { cardNumber = InsightsFixture.ApprovingCard } });
            var confirmation = await recorder.WaitForAsync<OrderConfirmed>(m => m.OrderId == orderId, InsightsFixture.Patience);
            var onTheBusBy = DateTimeOffset.UtcNow;
            while (true)
            {
                var (receivedAt, overview) = await updates.Reader.ReadAsync(cancel.Token);
                if (overview.GetProperty("orders").GetProperty("confirmed").GetInt32() > confirmedBefore)
                {
                    return (confirmation, onTheBusBy, receivedAt);
                }
            }
        }

        var (_, initial) = await updates.Reader.ReadAsync(cancel.Token);
        var confirmedBefore = initial.GetProperty("orders").GetProperty("confirmed").GetInt32();

        // A first order warms the path up (first queries, first projection of each message type); the second is timed.
        await ConfirmAndHearAsync("fan-warm-up", "V-2-2", confirmedBefore);
        var (confirmation, onTheBusBy, pushedAt) = await ConfirmAndHearAsync("fan-live", "V-2-1", confirmedBefore + 1);

        // Measured from the moment the confirmation was on the bus: what Insights answers for. The time before it is
        // the Orders outbox relay's (printed, for the record).
        var latency = pushedAt - onTheBusBy;
        output.WriteLine($"Order confirmed at {confirmation.ConfirmedAt:O}, on the bus by {onTheBusBy:O} " +
            $"(+{(onTheBusBy - confirmation.ConfirmedAt).TotalMilliseconds:0} ms), recorded by Insights at {await RecordedAtAsync(confirmation.OrderId):O}, " +
            $"pushed on the stream at {pushedAt:O}: {latency.TotalMilliseconds:0} ms after it was on the bus, " +
            $"{(pushedAt - confirmation.ConfirmedAt).TotalMilliseconds:0} ms after the confirmation was committed.");
        Assert.True(latency < TimeSpan.FromSeconds(1), $"The stream pushed the change {latency.TotalMilliseconds:0} ms after the confirmation was on the bus.");

        await cancel.CancelAsync();
        await reading.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(5)); // the reader stops with the stream
    }

    private async Task<DateTimeOffset?> RecordedAtAsync(Guid orderId)
    {
        await using var session = platform.Insights.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var confirmations = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "order_confirmed").ToListAsync();
        return confirmations.FirstOrDefault(e => e.Data is OrderConfirmed confirmed && confirmed.OrderId == orderId)?.Timestamp;
    }
}
