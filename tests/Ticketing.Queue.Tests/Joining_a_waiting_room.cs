using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Tests;

public sealed class Joining_a_waiting_room(QueueFixture queue) : IClassFixture<QueueFixture>
{
    [Fact]
    public async Task A_fan_gets_a_place_the_first_time_and_the_same_place_after()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 1, saleOpensAt: DateTimeOffset.UtcNow.AddMinutes(5));
        using var fan = queue.Fan("fan-first");

        using var first = await fan.JoinAsync(drop);
        using var again = await fan.JoinAsync(drop);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var entry = await first.ReadJsonAsync<JsonElement>();
        Assert.Equal(entry.GetProperty("entryId").GetGuid(), (await again.ReadJsonAsync<JsonElement>()).GetProperty("entryId").GetGuid());
        Assert.Equal(drop, entry.GetProperty("dropId").GetGuid());
        Assert.Equal("waiting", entry.GetProperty("status").GetString());
        Assert.Equal(entry.GetProperty("entryId").GetGuid(), (await fan.MineAsync(drop)).GetProperty("entryId").GetGuid());
    }

    [Fact]
    public async Task Before_the_draw_a_place_has_no_position_yet()
    {
        var saleOpensAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: saleOpensAt);
        using var fan = queue.Fan("fan-early");

        var entry = await (await fan.JoinAsync(drop)).ReadJsonAsync<JsonElement>();

        Assert.Equal(JsonValueKind.Null, entry.GetProperty("position").ValueKind);
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("aheadOfYou").ValueKind);
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("estimatedWaitSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("admissionPass").ValueKind);
        Assert.Equal(saleOpensAt.ToUnixTimeSeconds(), entry.GetProperty("drawAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task After_the_opening_fans_queue_in_arrival_order_with_fans_ahead_and_a_wait()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 1, saleOpensAt: DateTimeOffset.UtcNow.AddSeconds(-2));
        await queue.CountersUntilAsync(drop, counters => counters.GetProperty("rooms")[0].GetProperty("drawnAt").ValueKind != JsonValueKind.Null);

        var places = new List<JsonElement>();
        foreach (var name in new[] { "fifo-1", "fifo-2", "fifo-3" })
        {
            using var fan = queue.Fan(name);
            places.Add(await (await fan.JoinAsync(drop)).ReadJsonAsync<JsonElement>());
        }

        // At 1 a minute the first is let in at once or within the minute; the others wait behind in arrival order.
        using var third = queue.Fan("fifo-3");
        var mine = await third.MineAsync(drop);
        var second = await queue.Fan("fifo-2").MineAsync(drop);
        Assert.Equal("waiting", mine.GetProperty("status").GetString());
        Assert.Equal(second.GetProperty("position").GetInt32() + 1, mine.GetProperty("position").GetInt32());
        Assert.Equal(mine.GetProperty("position").GetInt32() - 1, mine.GetProperty("aheadOfYou").GetInt32());
        Assert.True(mine.GetProperty("estimatedWaitSeconds").GetInt32() >= 60, "At one a minute, the wait is at least a minute.");
    }

    [Fact]
    public async Task An_admitted_fan_gets_a_pass_for_themself_and_this_drop()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 6000, passMinutes: 5);
        using var fan = queue.Fan("fan-admitted");
        await fan.JoinAsync(drop);

        JsonElement mine = default;
        await Polling.UntilAsync(async () => (mine = await fan.MineAsync(drop)).GetProperty("status").GetString() == "admitted", TimeSpan.FromSeconds(20));

        var pass = mine.GetProperty("admissionPass").GetString();
        var expiresAt = mine.GetProperty("passExpiresAt").GetDateTimeOffset();
        Assert.Equal(0, mine.GetProperty("position").GetInt32());
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(5));
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(AdmissionPassVerdict.Valid, queue.Passes.Verify(pass, "fan-admitted", drop, now));
        Assert.Equal(AdmissionPassVerdict.OtherFan, queue.Passes.Verify(pass, "someone-else", drop, now));
        Assert.Equal(AdmissionPassVerdict.OtherDrop, queue.Passes.Verify(pass, "fan-admitted", Guid.NewGuid(), now));
        Assert.Equal(AdmissionPassVerdict.Expired, queue.Passes.Verify(pass, "fan-admitted", drop, expiresAt.AddSeconds(1)));
        Assert.Equal(pass, (await fan.MineAsync(drop)).GetProperty("admissionPass").GetString());
    }

    [Fact]
    public async Task An_unknown_drop_or_one_without_a_waiting_room_is_not_found()
    {
        var plain = Guid.NewGuid();
        await queue.Messages.Publisher.Publish(new ConcertPublished(
            plain, "NOVA", "No queue", "Hall", "Seoul", "Asia/Seoul", DateTimeOffset.UtcNow.AddDays(3), DateTimeOffset.UtcNow, 4,
            [new PriceTier("R", "R", 1000m, "KRW")], [new SeatSection("A", "R", [new SeatRow("1", 2)])], 2, DateTimeOffset.UtcNow));
        using var fan = queue.Fan("fan-404");

        using var unknown = await fan.JoinAsync(Guid.NewGuid());
        using var noRoom = await fan.JoinAsync(plain);
        using var mine = await fan.GetAsync($"/api/queue/{Guid.NewGuid()}/entries/mine");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noRoom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, mine.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Joining_before_the_room_opens_is_a_conflict_saying_when()
    {
        var opensAt = DateTimeOffset.UtcNow.AddMinutes(30);
        var drop = await queue.AnnounceConcertAsync(opensAt: opensAt, saleOpensAt: opensAt.AddMinutes(30));
        using var fan = queue.Fan("fan-too-early");

        using var response = await fan.JoinAsync(drop);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal("not_open", problem.GetProperty("reason").GetString());
        Assert.Equal(opensAt.ToUnixTimeSeconds(), problem.GetProperty("opensAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_fan_who_has_not_joined_is_told_so()
    {
        var drop = await queue.AnnounceConcertAsync();
        using var fan = queue.Fan("fan-never-joined");

        using var response = await fan.GetAsync($"/api/queue/{drop}/entries/mine");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Joining_needs_a_fan_token()
    {
        var drop = await queue.AnnounceConcertAsync();
        using var anonymous = queue.Anonymous();
        using var operatorClient = queue.Operator();
        using var expired = queue.Anonymous().WithToken(TestTokens.Expired("fan-x"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.JoinAsync(drop)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.JoinAsync(drop)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.JoinAsync(drop)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/queue/{drop}/entries/mine")).StatusCode);
    }

    [Fact]
    public async Task Many_joins_of_one_fan_at_once_give_one_place()
    {
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: DateTimeOffset.UtcNow.AddMinutes(5));
        using var fan = queue.Fan("fan-eager");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fan.JoinAsync(drop)));

        var entries = await Task.WhenAll(responses.Select(response => response.ReadJsonAsync<JsonElement>()));
        Assert.Single(entries.Select(entry => entry.GetProperty("entryId").GetGuid()).Distinct());
        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, (await queue.CountersAsync(drop)).GetProperty("joined").GetInt32());
    }

    [Fact]
    public async Task When_the_drop_sells_out_every_waiting_fan_is_told_at_once_and_waits_again_when_seats_return()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 1, saleOpensAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        var fans = Enumerable.Range(1, 5).Select(i => queue.Fan($"sold-out-{i}")).ToList();
        foreach (var fan in fans)
        {
            await fan.JoinAsync(drop);
        }

        await queue.Messages.Publisher.Publish(new ConcertSoldOut(drop, DateTimeOffset.UtcNow));
        await queue.CountersUntilAsync(drop, counters => counters.GetProperty("soldOut").GetBoolean());

        var statuses = await Task.WhenAll(fans.Select(fan => fan.MineAsync(drop)));
        Assert.All(statuses.Where(status => status.GetProperty("status").GetString() != "admitted"),
            status => Assert.Equal("sold_out", status.GetProperty("status").GetString()));
        Assert.True(statuses.Count(status => status.GetProperty("status").GetString() == "sold_out") >= 4);

        await queue.Messages.Publisher.Publish(new ConcertSeatsAvailableAgain(drop, 2, DateTimeOffset.UtcNow));
        await queue.CountersUntilAsync(drop, counters => !counters.GetProperty("soldOut").GetBoolean());
        Assert.Equal("waiting", (await fans[^1].MineAsync(drop)).GetProperty("status").GetString());
        fans.ForEach(fan => fan.Dispose());
    }

    [Fact]
    public async Task A_cancelled_concert_closes_its_room()
    {
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: DateTimeOffset.UtcNow.AddMinutes(5));
        using var waiting = queue.Fan("closed-waiting");
        using var late = queue.Fan("closed-late");
        await waiting.JoinAsync(drop);

        await queue.Messages.Publisher.Publish(new ConcertCancelled(drop, "Typhoon", DateTimeOffset.UtcNow));
        await queue.CountersUntilAsync(drop, counters => counters.GetProperty("closedReason").ValueKind == JsonValueKind.String);

        Assert.Equal("closed", (await waiting.MineAsync(drop)).GetProperty("status").GetString());
        using var response = await late.JoinAsync(drop);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("closed", await response.ReasonAsync());
    }

    [Fact]
    public async Task The_stream_sends_the_place_and_then_the_admission()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 60, saleOpensAt: DateTimeOffset.UtcNow.AddSeconds(3));
        using var fan = queue.Fan("fan-streaming");
        await fan.JoinAsync(drop);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/queue/{drop}/entries/mine/stream");
        using var response = await fan.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var statuses = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!statuses.Contains("admitted"))
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line?.StartsWith("data: ", StringComparison.Ordinal) == true)
            {
                statuses.Add(JsonDocument.Parse(line[6..]).RootElement.GetProperty("status").GetString()!);
            }
        }

        Assert.Equal("waiting", statuses[0]);
    }

    [Fact]
    public async Task A_finished_order_frees_the_fans_admission()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 6000, maxActive: 1);
        using var fanOne = queue.Fan("finisher-1");
        using var fanTwo = queue.Fan("finisher-2");
        await fanOne.JoinAsync(drop);
        await fanTwo.JoinAsync(drop);

        // Both may have joined before the room was drawn (then either can be first): the one let in is the finisher.
        async Task<bool> AdmittedAsync(HttpClient fan) => (await fan.MineAsync(drop)).GetProperty("status").GetString() == "admitted";
        await Polling.UntilAsync(async () => await AdmittedAsync(fanOne) || await AdmittedAsync(fanTwo), TimeSpan.FromSeconds(20));
        var (firstId, second) = await AdmittedAsync(fanOne) ? ("finisher-1", fanTwo) : ("finisher-2", fanOne);
        var counters = await queue.CountersAsync(drop);
        Assert.Equal(1, counters.GetProperty("active").GetInt32());
        Assert.Equal("waiting", (await second.MineAsync(drop)).GetProperty("status").GetString());

        // The order of the first fan checks out a hold of this concert and is confirmed.
        var orderId = Guid.NewGuid();
        await queue.Messages.Publisher.Publish(new HoldConfirmed(orderId, Guid.NewGuid(), firstId, drop, [], DateTimeOffset.UtcNow));
        await queue.OrderLinkedAsync(orderId); // another consumer than the outcome's records it, as Tickets' answer comes first
        await queue.Messages.Publisher.Publish(new Ticketing.Contracts.Orders.OrderConfirmed(orderId, firstId, null, DateTimeOffset.UtcNow));

        counters = await queue.CountersUntilAsync(drop, c => c.GetProperty("passesUsed").GetInt32() == 1 && c.GetProperty("admitted").GetInt32() == 2);
        Assert.Equal(1, counters.GetProperty("active").GetInt32());
        Assert.Equal("admitted", (await second.MineAsync(drop)).GetProperty("status").GetString());
    }
}
