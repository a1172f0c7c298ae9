using System.Text;

namespace Ticketing.Queue.Tests;

/// <summary>A fan-club presale before the general sale: members by id or one-time code, imported by request or file.</summary>
public sealed class Presale(QueueFixture queue) : IClassFixture<QueueFixture>
{
    [Fact]
    public async Task Only_members_join_the_presale_a_code_works_once_and_the_general_sale_follows_with_its_own_queue()
    {
        var saleOpensAt = queue.Clock.GetUtcNow().AddHours(1);
        var drop = await queue.AnnounceConcertAsync(admissionsPerMinute: 60_000, saleOpensAt: saleOpensAt, opensAt: queue.Clock.GetUtcNow().AddMinutes(-1));
        using var ops = queue.Operator();
        var presaleEnds = saleOpensAt.AddHours(1);

        using (var scheduled = await ops.PutAsJsonAsync($"/api/queue/{drop}/presale", new { endsAt = presaleEnds }))
        {
            Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
        }

        using (var twice = await ops.PutAsJsonAsync($"/api/queue/{drop}/presale", new { endsAt = presaleEnds }))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Equal("presale_already_scheduled", await twice.ReasonAsync());
        }

        using (var imported = await ops.PostAsJsonAsync($"/api/queue/{drop}/presale/members", new { memberIds = new[] { "member-1" }, codes = new[] { "NOVA-AAAA-1111", "NOVA-BBBB-2222" } }))
        {
            var body = await imported.ReadJsonAsync<JsonElement>();
            Assert.Equal(1, body.GetProperty("membersAdded").GetInt32());
            Assert.Equal(2, body.GetProperty("codesAdded").GetInt32());
        }

        using (var file = await ops.PostAsync($"/api/queue/{drop}/presale/members",
            new StringContent("kind,value\nmember,member-2\ncode,nova-cccc-3333\n# a comment\n\n", Encoding.UTF8, "text/csv")))
        {
            var body = await file.ReadJsonAsync<JsonElement>();
            Assert.Equal(2, body.GetProperty("members").GetInt32());
            Assert.Equal(3, body.GetProperty("codes").GetInt32());
        }

        using (var badFile = await ops.PostAsync($"/api/queue/{drop}/presale/members", new StringContent("member,ok\nvip;someone\n", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badFile.StatusCode);
            Assert.Contains("Line 2", (await badFile.ReadJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString());
        }

        // Members by id, and by code; a stranger is turned away, saying when the general queue opens.
        using var member = queue.Fan("member-1");
        using var withCode = queue.Fan("fan-with-code");
        using var stranger = queue.Fan("stranger");
        using var joined = await member.JoinAsync(drop);
        Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        Assert.Equal("presale", (await joined.ReadJsonAsync<JsonElement>()).GetProperty("room").GetString());
        Assert.Equal(HttpStatusCode.Created, (await withCode.JoinAsync(drop, "nova-aaaa-1111")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withCode.JoinAsync(drop, "NOVA-AAAA-1111")).StatusCode);
        using (var refused = await stranger.JoinAsync(drop))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.ReadJsonAsync<JsonElement>();
            Assert.Equal("members_only", problem.GetProperty("reason").GetString());
            Assert.True(problem.TryGetProperty("generalJoinOpensAt", out _));
        }

        using (var unknownCode = await stranger.JoinAsync(drop, "NOVA-ZZZZ-9999"))
        {
            Assert.Equal("members_only", await unknownCode.ReasonAsync());
        }

        // A code used by one fan works for nobody else.
        using (var copied = await stranger.JoinAsync(drop, "NOVA-AAAA-1111"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, copied.StatusCode);
            Assert.Equal("members_only", await copied.ReasonAsync());
        }

        // Ten fans with one code at the same instant: one place, nine refusals.
        var racers = Enumerable.Range(0, 10).Select(i => queue.Fan($"racer-{i}")).ToList();
        var answers = await Task.WhenAll(racers.Select(racer => racer.JoinAsync(drop, "NOVA-BBBB-2222")));
        Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.Created);
        Assert.Equal(9, answers.Count(answer => answer.StatusCode == HttpStatusCode.Forbidden));
        racers.ForEach(racer => racer.Dispose());

        // The presale's sale opens: members are let in.
        queue.Clock.Jump(TimeSpan.FromHours(1));
        await Polling.UntilAsync(async () => (await member.MineAsync(drop)).GetProperty("status").GetString() == "admitted", TimeSpan.FromSeconds(20));

        // General joining opens as long before the general sale as the room opened before the presale (61 minutes).
        queue.Clock.Jump(TimeSpan.FromMinutes(1));
        using var general = await stranger.JoinAsync(drop);
        Assert.Equal(HttpStatusCode.Created, general.StatusCode);
        var place = await general.ReadJsonAsync<JsonElement>();
        Assert.Equal("general", place.GetProperty("room").GetString());
        Assert.Equal(presaleEnds.ToUnixTimeSeconds(), place.GetProperty("drawAt").GetDateTimeOffset().ToUnixTimeSeconds());

        var counters = await queue.CountersAsync(drop);
        var presale = counters.GetProperty("presale");
        Assert.Equal(2, presale.GetProperty("codesUsed").GetInt32());
        Assert.Equal(2, counters.GetProperty("rooms").GetArrayLength());
    }

    [Fact]
    public async Task A_presale_is_set_up_before_the_sale_and_ends_after_it()
    {
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: queue.Clock.GetUtcNow().AddMinutes(-1));
        var later = await queue.AnnounceConcertAsync(saleOpensAt: queue.Clock.GetUtcNow().AddHours(2));
        using var ops = queue.Operator();

        using var afterOpening = await ops.PutAsJsonAsync($"/api/queue/{drop}/presale", new { endsAt = queue.Clock.GetUtcNow().AddHours(1) });
        using var endsTooEarly = await ops.PutAsJsonAsync($"/api/queue/{later}/presale", new { endsAt = queue.Clock.GetUtcNow().AddHours(1) });
        using var noEnd = await ops.PutAsJsonAsync($"/api/queue/{later}/presale", new { });
        using var unknown = await ops.PutAsJsonAsync($"/api/queue/{Guid.NewGuid()}/presale", new { endsAt = queue.Clock.GetUtcNow().AddHours(3) });
        using var emptyImport = await ops.PostAsJsonAsync($"/api/queue/{later}/presale/members", new { memberIds = Array.Empty<string>() });
        using var badCode = await ops.PostAsJsonAsync($"/api/queue/{later}/presale/members", new { codes = new[] { "no spaces allowed" } });

        Assert.Equal(HttpStatusCode.Conflict, afterOpening.StatusCode);
        Assert.Equal("sale_opened", await afterOpening.ReasonAsync());
        Assert.Equal(HttpStatusCode.BadRequest, endsTooEarly.StatusCode);
        Assert.True((await endsTooEarly.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("endsAt", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noEnd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, emptyImport.StatusCode);
        Assert.True((await badCode.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("codes[0]", out _));
    }
}
