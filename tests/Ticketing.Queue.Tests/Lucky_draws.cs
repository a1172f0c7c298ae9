using System.Security.Cryptography;
using System.Text;
using Ticketing.Contracts.Catalog;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Tests;

/// <summary>A lucky draw through the Queue's API: commit, enter, draw, publish, verify, claim, pass on.</summary>
public sealed class Lucky_draws(QueueFixture queue) : IClassFixture<QueueFixture>
{
    private async Task<JsonElement> OpenAsync(Guid productId, int winners, int claimMinutes = 5, bool membersOnly = false, string[]? members = null, TimeSpan? opensIn = null)
    {
        using var ops = queue.Operator();
        var now = queue.Clock.GetUtcNow();
        using var response = await ops.PostAsJsonAsync("/api/queue/lucky-draws", new
        {
            productId,
            title = "Signed polaroid",
            opensAt = now + (opensIn ?? TimeSpan.Zero),
            closesAt = now.AddHours(1),
            winners,
            claimMinutes,
            membersOnly,
            memberIds = members,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> DrawAsync(Guid drawId, Func<JsonElement, bool> until)
    {
        using var anyone = queue.Anonymous();
        JsonElement draw = default;
        await Polling.UntilAsync(async () => until(draw = await anyone.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}")), TimeSpan.FromSeconds(20));
        return draw;
    }

    [Fact]
    public async Task Winners_are_recomputed_from_what_is_published_get_a_purchase_pass_and_lapsed_rights_pass_on()
    {
        var productId = Guid.NewGuid();
        var opened = await OpenAsync(productId, winners: 3, claimMinutes: 5);
        var drawId = opened.GetProperty("drawId").GetGuid();
        var commitment = opened.GetProperty("commitment").GetString()!;
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("seed").ValueKind);

        var fans = Enumerable.Range(0, 30).Select(i => $"lucky-fan-{i:D2}").ToList();
        var entryOf = new Dictionary<string, Guid>();
        foreach (var fan in fans)
        {
            using var client = queue.Fan(fan);
            using var entered = await client.PostAsync($"/api/queue/lucky-draws/{drawId}/entries", null);
            Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
            entryOf[fan] = (await entered.ReadJsonAsync<JsonElement>()).GetProperty("entryId").GetGuid();
        }

        // One entry per fan: entering again answers the first entry.
        using (var again = queue.Fan(fans[0]))
        {
            using var twice = await again.PostAsync($"/api/queue/lucky-draws/{drawId}/entries", null);
            Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
            Assert.Equal(entryOf[fans[0]], (await twice.ReadJsonAsync<JsonElement>()).GetProperty("entryId").GetGuid());
            Assert.Equal("entered", (await again.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries/mine")).GetProperty("result").GetString());
        }

        queue.Clock.Jump(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var draw = await DrawAsync(drawId, d => d.GetProperty("status").GetString() == "drawn");

        // Anyone checks: the seed matches the commitment, and the published algorithm over the published list gives the winners.
        var seed = draw.GetProperty("seed").GetString()!;
        Assert.Equal(commitment, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(seed))));
        using var anyone = queue.Anonymous();
        var list = await anyone.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries");
        var published = list.GetProperty("entryIds").EnumerateArray().Select(id => id.GetGuid()).ToList();
        Assert.Equal(entryOf.Values.Order(), published.Order());
        var key = Convert.FromHexString(seed);
        var recomputed = published
            .OrderBy(id => Convert.ToHexString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(id.ToString("D")))), StringComparer.Ordinal)
            .ToList();
        var rights = draw.GetProperty("rights").EnumerateArray().ToList();
        Assert.Equal(recomputed.Take(3), rights.Select(right => right.GetProperty("entryId").GetGuid()));

        // A winner sees the result with a purchase pass for the product; the others are told they wait.
        var winners = recomputed.Take(3).Select(id => entryOf.Single(pair => pair.Value == id).Key).ToList();
        using var winner = queue.Fan(winners[0]);
        var won = await winner.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries/mine");
        Assert.Equal("won", won.GetProperty("result").GetString());
        Assert.Equal(AdmissionPassVerdict.Valid, queue.Passes.Verify(won.GetProperty("purchasePass").GetString(), winners[0], productId, queue.Clock.GetUtcNow()));
        using var loser = queue.Fan(entryOf.Single(pair => pair.Value == recomputed[5]).Key);
        var waiting = await loser.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries/mine");
        Assert.Equal("waiting", waiting.GetProperty("result").GetString());
        Assert.Equal(3, waiting.GetProperty("waitingPlace").GetInt32());

        // The first winner buys; the other two let their rights lapse, which pass to the 4th and 5th drawn entries.
        await queue.Messages.Publisher.Publish(new StockCommitted(Guid.NewGuid(), [new StockLine(productId, 1)], DateTimeOffset.UtcNow) { FanId = winners[0] });
        await DrawAsync(drawId, d => d.GetProperty("rights")[0].GetProperty("status").GetString() == "claimed");
        queue.Clock.Jump(TimeSpan.FromMinutes(6));
        draw = await DrawAsync(drawId, d => d.GetProperty("rights").GetArrayLength() == 5);
        Assert.Equal(["claimed", "lapsed", "lapsed", "granted", "granted"], draw.GetProperty("rights").EnumerateArray().Select(right => right.GetProperty("status").GetString()));
        Assert.Equal(recomputed.Skip(3).Take(2), draw.GetProperty("rights").EnumerateArray().Skip(3).Select(right => right.GetProperty("entryId").GetGuid()));
        Assert.Equal("claimed", (await winner.GetFromJsonAsync<JsonElement>($"/api/queue/lucky-draws/{drawId}/entries/mine")).GetProperty("result").GetString());

        // Entering after the window is refused.
        using var late = queue.Fan("late-fan");
        using var refused = await late.PostAsync($"/api/queue/lucky-draws/{drawId}/entries", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("draw_closed", await refused.ReasonAsync());
    }

    [Fact]
    public async Task Entries_outside_the_rules_are_refused_with_their_reason()
    {
        var membersOnly = (await OpenAsync(Guid.NewGuid(), winners: 1, membersOnly: true, members: ["member-7"])).GetProperty("drawId").GetGuid();
        var later = (await OpenAsync(Guid.NewGuid(), winners: 1, opensIn: TimeSpan.FromMinutes(30))).GetProperty("drawId").GetGuid();
        using var fan = queue.Fan("not-a-member");
        using var member = queue.Fan("member-7");

        using var notMember = await fan.PostAsync($"/api/queue/lucky-draws/{membersOnly}/entries", null);
        using var asMember = await member.PostAsync($"/api/queue/lucky-draws/{membersOnly}/entries", null);
        using var early = await fan.PostAsync($"/api/queue/lucky-draws/{later}/entries", null);
        using var notEntered = await fan.GetAsync($"/api/queue/lucky-draws/{later}/entries/mine");
        using var unknown = await fan.PostAsync($"/api/queue/lucky-draws/{Guid.NewGuid()}/entries", null);
        using var ops = queue.Operator();
        using var invalid = await ops.PostAsJsonAsync("/api/queue/lucky-draws", new { winners = 0 });
        using var asFan = await fan.PostAsJsonAsync("/api/queue/lucky-draws", new { productId = Guid.NewGuid(), winners = 1, closesAt = DateTimeOffset.UtcNow.AddHours(1) });

        Assert.Equal((HttpStatusCode.Forbidden, "members_only"), (notMember.StatusCode, await notMember.ReasonAsync()));
        Assert.Equal(HttpStatusCode.Created, asMember.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "draw_not_open"), (early.StatusCode, await early.ReasonAsync()));
        Assert.Equal((HttpStatusCode.NotFound, "not_entered"), (notEntered.StatusCode, await notEntered.ReasonAsync()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("productId", out _) && errors.TryGetProperty("closesAt", out _) && errors.TryGetProperty("winners", out _));
        Assert.Equal(HttpStatusCode.Forbidden, asFan.StatusCode);
    }
}
