namespace Ticketing.Queue.Tests;

/// <summary>The operator's side: counters, pause and resume, the rate, and who may do what.</summary>
public sealed class Operating_a_drop(QueueFixture queue) : IClassFixture<QueueFixture>
{
    [Fact]
    public async Task The_counters_show_the_queue_and_its_settings()
    {
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 90, saleOpensAt: queue.Clock.GetUtcNow().AddMinutes(30), maxActive: 500, passMinutes: 7);
        using var fan = queue.Fan("counted");
        await fan.JoinAsync(drop);

        var counters = await queue.CountersAsync(drop);
        using var ops = queue.Operator();
        var all = await ops.GetFromJsonAsync<JsonElement>("/api/queue");

        Assert.Equal("concert", counters.GetProperty("kind").GetString());
        Assert.Equal("joining", counters.GetProperty("phase").GetString());
        Assert.Equal(90, counters.GetProperty("admissionsPerMinute").GetInt32());
        Assert.Equal(500, counters.GetProperty("maxActive").GetInt32());
        Assert.Equal(7, counters.GetProperty("passMinutes").GetInt32());
        Assert.Equal(1, counters.GetProperty("joined").GetInt32());
        Assert.Equal(1, counters.GetProperty("waiting").GetInt32());
        foreach (var number in new[] { "admitted", "active", "passesUsed", "passesExpired" })
        {
            Assert.Equal(0, counters.GetProperty(number).GetInt32());
        }

        Assert.Equal(0, counters.GetProperty("abandonment").GetDouble());
        Assert.Contains(all.EnumerateArray(), item => item.GetProperty("dropId").GetGuid() == drop);
    }

    [Fact]
    public async Task Pause_and_resume_change_the_phase_and_a_bad_rate_is_refused_per_field()
    {
        // The sale opens later: no draw is appended between the two pauses, so the second one's version is the first's.
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 60, saleOpensAt: queue.Clock.GetUtcNow().AddMinutes(30));
        using var ops = queue.Operator();

        var paused = await (await ops.PostAsync($"/api/queue/{drop}/pause", null)).ReadJsonAsync<JsonElement>();
        var pausedAgain = await (await ops.PostAsync($"/api/queue/{drop}/pause", null)).ReadJsonAsync<JsonElement>();
        var resumed = await (await ops.PostAsync($"/api/queue/{drop}/resume", null)).ReadJsonAsync<JsonElement>();
        using var zero = await ops.PutAsJsonAsync($"/api/queue/{drop}/rate", new { admissionsPerMinute = 0, maxActive = 0 });
        using var missing = await ops.PutAsJsonAsync($"/api/queue/{drop}/rate", new { maxActive = 10 });
        using var changed = await ops.PutAsJsonAsync($"/api/queue/{drop}/rate", new { admissionsPerMinute = 120, maxActive = 40 });
        using var unknown = await ops.PostAsync($"/api/queue/{Guid.NewGuid()}/pause", null);

        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(paused.GetProperty("version").GetInt64(), pausedAgain.GetProperty("version").GetInt64());
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        var errors = (await zero.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("admissionsPerMinute", out _));
        Assert.True(errors.TryGetProperty("maxActive", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var after = await changed.ReadJsonAsync<JsonElement>();
        Assert.Equal(120, after.GetProperty("admissionsPerMinute").GetInt32());
        Assert.Equal(40, after.GetProperty("maxActive").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Fans_and_anonymous_callers_may_not_operate_a_drop_but_anyone_may_read_its_draw()
    {
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: queue.Clock.GetUtcNow().AddMinutes(30));
        using var fan = queue.Fan("not-an-operator");
        using var anyone = queue.Anonymous();

        foreach (var client in new[] { fan, anyone })
        {
            var expected = client == fan ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized;
            Assert.Equal(expected, (await client.GetAsync($"/api/queue/{drop}")).StatusCode);
            Assert.Equal(expected, (await client.GetAsync("/api/queue")).StatusCode);
            Assert.Equal(expected, (await client.PostAsync($"/api/queue/{drop}/pause", null)).StatusCode);
            Assert.Equal(expected, (await client.PostAsync($"/api/queue/{drop}/resume", null)).StatusCode);
            Assert.Equal(expected, (await client.PutAsJsonAsync($"/api/queue/{drop}/rate", new { admissionsPerMinute = 5 })).StatusCode);
            Assert.Equal(expected, (await client.PutAsJsonAsync($"/api/queue/{drop}/presale", new { endsAt = DateTimeOffset.UtcNow.AddHours(2) })).StatusCode);
            Assert.Equal(expected, (await client.PostAsJsonAsync($"/api/queue/{drop}/presale/members", new { memberIds = new[] { "me" } })).StatusCode);
        }

        var draw = await anyone.GetFromJsonAsync<JsonElement>($"/api/queue/{drop}/draw");
        var room = draw.GetProperty("rooms")[0];
        Assert.Equal("queue-draw-v1", draw.GetProperty("algorithm").GetString());
        Assert.Matches("^[0-9a-f]{64}$", room.GetProperty("commitment").GetString());
        Assert.Equal(JsonValueKind.Null, room.GetProperty("seed").ValueKind);
        Assert.Equal(JsonValueKind.Null, room.GetProperty("preOpeningEntryIds").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/api/queue/{Guid.NewGuid()}/draw")).StatusCode);
    }

    [Fact]
    public async Task A_merch_drop_opens_its_queue_at_the_release()
    {
        var releaseAt = queue.Clock.GetUtcNow().AddMinutes(20);
        var product = await queue.AnnounceProductAsync(600, queue.Clock.GetUtcNow().AddMinutes(-1), releaseAt);
        using var fan = queue.Fan("merch-fan");

        var place = await (await fan.JoinAsync(product)).ReadJsonAsync<JsonElement>();

        Assert.Equal("product", place.GetProperty("kind").GetString());
        Assert.Equal(releaseAt.ToUnixTimeSeconds(), place.GetProperty("drawAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }
}
