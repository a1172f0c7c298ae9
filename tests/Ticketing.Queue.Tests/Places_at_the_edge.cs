using System.Diagnostics.Metrics;
using System.Text.Json;
using Ticketing.Contracts.Tickets;
using Ticketing.Gateway.Routing;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Tests;

/// <summary>
/// The Queue behind a gateway that answers waiting fans' places itself: its board refreshed at every read 50 ms after
/// the last fetch (changes show fast), and used for up to 5 s (a fetch slowed by a loaded box does not send a read to
/// the Queue that the test expects answered at the edge).
/// </summary>
public sealed class QueueBehindEdgeAnswers : QueueFixture
{
    private MeterListener? listener;
    private long edgeAnswers;

    public ServiceHost<GatewayService> Gateway { get; private set; } = null!;

    /// <summary>Place reads this gateway answered itself so far.</summary>
    public long EdgeAnswers => Interlocked.Read(ref edgeAnswers);

    protected override bool Listens => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = PlatformFixture.GatewayBaseSettings();
        settings["Services:Queue"] = Queue.Address.ToString();
        settings["Gateway:QueueEdge:BoardRefreshAfter"] = "00:00:00.050";
        settings["Gateway:QueueEdge:BoardMaxAge"] = "00:00:05";
        Gateway = new ServiceHost<GatewayService>(settings, listen: false);
        await Gateway.StartAsync();

        // Counts this gateway's edge answers only: its meter is the one its own meter factory hands out.
        var meter = Gateway.Services.GetRequiredService<IMeterFactory>().Create("Ticketing.Gateway");
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "ticketing.gateway.queue.places_read")
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "answered.by", Value: "edge" })
                {
                    Interlocked.Add(ref edgeAnswers, value);
                }
            }
        });
        listener.Start();
    }

    public HttpClient ThroughGateway(string fanId) => Gateway.CreateClient().WithToken(TestTokens.Fan(fanId));

    public override async Task DisposeAsync()
    {
        listener?.Dispose();
        await Gateway.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class Places_at_the_edge(QueueBehindEdgeAnswers queue) : IClassFixture<QueueBehindEdgeAnswers>
{
    [Fact]
    public async Task A_waiting_fan_s_place_is_answered_by_the_gateway_exactly_as_the_Queue_answers_it()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 1, saleOpensAt: DateTimeOffset.UtcNow.AddSeconds(-2));
        await queue.CountersUntilAsync(drop, counters => counters.GetProperty("rooms")[0].GetProperty("drawnAt").ValueKind != JsonValueKind.Null);
        using (var ops = queue.Operator())
        {
            (await ops.PostAsync($"/api/queue/{drop}/pause", null)).EnsureSuccessStatusCode();
        }

        var fans = new[] { "edge-1", "edge-2", "edge-3" };
        foreach (var fan in fans)
        {
            using var client = queue.ThroughGateway(fan);
            using var joined = await client.JoinAsync(drop);
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
            Assert.False(joined.Headers.Contains("X-Queue-Place"), "The place header is the gateway's, never the fan's.");
        }

        // The first reads find no board yet and go to the Queue; the board follows within a refresh.
        var before = queue.EdgeAnswers;
        using var third = queue.ThroughGateway("edge-3");
        await Polling.UntilAsync(async () =>
        {
            using var response = await third.GetAsync($"/api/queue/{drop}/entries/mine");
            Assert.False(response.Headers.Contains("X-Queue-Place"));
            return queue.EdgeAnswers > before;
        }, TimeSpan.FromSeconds(10));

        foreach (var fan in fans)
        {
            using var throughGateway = queue.ThroughGateway(fan);
            using var direct = queue.Fan(fan);
            var edge = await throughGateway.MineAsync(drop);
            var fromQueue = await direct.MineAsync(drop);
            Assert.Equal(fromQueue.ToString(), edge.ToString());
            Assert.Equal("waiting", edge.GetProperty("status").GetString());
            Assert.True(edge.GetProperty("paused").GetBoolean());
        }

        Assert.True(queue.EdgeAnswers >= before + 1 + fans.Length, "Every read after the board came was answered at the gateway.");
    }

    [Fact]
    public async Task Sold_out_reaches_waiting_fans_through_the_gateway_and_an_admitted_fan_still_gets_the_Queue_s_pass()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 1, saleOpensAt: DateTimeOffset.UtcNow.AddSeconds(-2));
        await queue.CountersUntilAsync(drop, counters => counters.GetProperty("rooms")[0].GetProperty("drawnAt").ValueKind != JsonValueKind.Null);
        using var ops = queue.Operator();
        (await ops.PostAsync($"/api/queue/{drop}/pause", null)).EnsureSuccessStatusCode();
        var clients = Enumerable.Range(1, 3).Select(i => queue.ThroughGateway($"edge-sold-out-{i}")).ToList();
        foreach (var client in clients)
        {
            await client.JoinAsync(drop);
        }

        await Polling.UntilAsync(async () => (await clients[^1].MineAsync(drop)).GetProperty("paused").GetBoolean() && queue.EdgeAnswers > 0, TimeSpan.FromSeconds(10));

        // Resumed at 6,000 a minute with one active fan at most, the first fan is let in: their next reads carry the
        // Queue's pass, not a stale "waiting".
        (await ops.PutAsJsonAsync($"/api/queue/{drop}/rate", new { admissionsPerMinute = 6000, maxActive = 1 })).EnsureSuccessStatusCode();
        (await ops.PostAsync($"/api/queue/{drop}/resume", null)).EnsureSuccessStatusCode();
        JsonElement first = default;
        await Polling.UntilAsync(async () => (first = await clients[0].MineAsync(drop)).GetProperty("status").GetString() == "admitted", TimeSpan.FromSeconds(10));
        Assert.Equal(AdmissionPassVerdict.Valid, queue.Passes.Verify(first.GetProperty("admissionPass").GetString(), "edge-sold-out-1", drop, DateTimeOffset.UtcNow));

        (await ops.PostAsync($"/api/queue/{drop}/pause", null)).EnsureSuccessStatusCode();
        await queue.Messages.Publisher.Publish(new ConcertSoldOut(drop, DateTimeOffset.UtcNow));
        await queue.CountersUntilAsync(drop, counters => counters.GetProperty("soldOut").GetBoolean());

        // At the next board (fetched 50 ms after the last at a read) every fan still waiting reads sold_out through the gateway.
        await Polling.UntilAsync(async () =>
        {
            var statuses = await Task.WhenAll(clients.Select(client => client.MineAsync(drop)));
            return statuses.All(status => status.GetProperty("status").GetString() is "sold_out" or "admitted")
                && statuses.Count(status => status.GetProperty("status").GetString() == "sold_out") >= 1;
        }, TimeSpan.FromSeconds(10));
        Assert.Equal("admitted", (await clients[0].MineAsync(drop)).GetProperty("status").GetString());
        clients.ForEach(client => client.Dispose());
    }
}
