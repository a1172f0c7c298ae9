using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Tests;

/// <summary>
/// The whole platform through the gateway: the Catalog announces drops with waiting rooms, the Queue admits fans,
/// Tickets' hold and Orders' merch checkout let in only the caller's valid pass, and the sold-out signals of Tickets and
/// the Catalog reach every waiting fan.
/// </summary>
public sealed class Passes_at_the_door(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly AdmissionPasses passes = new(PlatformFixture.TestAdmissionPassKey);

    [Fact]
    public async Task A_hold_needs_the_callers_own_valid_pass()
    {
        var concertId = await ConcertWithWaitingRoomAsync(seats: 10, admissionsPerMinute: 6_000);
        using var fan = platform.Fan("door-fan");
        using var other = platform.Fan("door-other");

        using (var noPass = await HoldAsync(fan, concertId, null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noPass.StatusCode);
            Assert.Equal("admission_required", await noPass.ReasonAsync());
        }

        var pass = await AdmittedPassAsync(fan, concertId);
        var claims = passes.Read(pass)!;
        var expired = passes.Issue(claims with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-5) });
        var altered = pass[..^2] + (pass[^2] == 'A' ? "B" : "A") + pass[^1];
        var otherDrop = passes.Issue(claims with { DropId = Guid.NewGuid() });

        foreach (var (client, refusedPass) in new[] { (other, pass), (fan, expired), (fan, altered), (fan, otherDrop), (fan, "not-a-pass") })
        {
            using var refused = await HoldAsync(client, concertId, refusedPass);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("admission_required", await refused.ReasonAsync());
        }

        using var held = await HoldAsync(fan, concertId, pass);
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
    }

    [Fact]
    public async Task A_merch_drop_checkout_needs_the_callers_pass_and_a_concert_without_a_room_does_not()
    {
        var productId = await MerchDropAsync("Lightstick drop", 45000m, stock: 50, limitPerFan: 2);
        await QueueKnowsAsync(productId);
        using var fan = platform.Fan("merch-door");
        var body = new { items = new[] { new { productId, quantity = 1 } }, payment = new { cardNumber = "4242 4242 4242 4242" } };

        using (var refused = await CheckoutAsync(fan, body, null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("admission_required", await refused.ReasonAsync());
        }

        var pass = await AdmittedPassAsync(fan, productId);
        using var otherFan = platform.Fan("merch-other");
        using (var someoneElses = await CheckoutAsync(otherFan, body, pass))
        {
            Assert.Equal(HttpStatusCode.Forbidden, someoneElses.StatusCode);
        }

        using var accepted = await CheckoutAsync(fan, body, $"{passes.Issue(new AdmissionPassClaims(Guid.NewGuid(), Guid.NewGuid(), "merch-door", DateTimeOffset.UtcNow.AddMinutes(5)))}, {pass}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // A concert without a waiting room holds as before, without a pass.
        using var ops = platform.Operator();
        var plain = await TestConcerts.PublishAsync(ops, platform.Client, TestConcerts.OnSale("No queue", "Hall", 4, [4]), TimeSpan.FromSeconds(30));
        using var held = await HoldAsync(fan, plain, null);
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
    }

    [Fact]
    public async Task When_Tickets_has_no_seat_left_waiting_fans_are_told_sold_out()
    {
        // Two seats, one fan admitted at a time: the first takes both, the others wait, then hear it is sold out.
        var concertId = await ConcertWithWaitingRoomAsync(seats: 2, admissionsPerMinute: 6_000, maxActive: 1);
        using var first = platform.Fan("sellout-1");
        using var second = platform.Fan("sellout-2");
        using var third = platform.Fan("sellout-3");
        var pass = await AdmittedAheadOfAsync(concertId, first, second, third);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/concerts/{concertId}/holds") { Content = JsonContent.Create(new { tier = "R", quantity = 2 }) };
        request.Headers.Add(AdmissionPasses.HeaderName, pass);
        Assert.Equal(HttpStatusCode.Created, (await first.SendAsync(request)).StatusCode);

        await Polling.UntilAsync(async () => (await second.MineAsync(concertId)).GetProperty("status").GetString() == "sold_out", TimeSpan.FromSeconds(30));
        Assert.Equal("sold_out", (await third.MineAsync(concertId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task When_the_Catalog_has_no_unit_left_waiting_fans_are_told_sold_out()
    {
        var productId = await MerchDropAsync("Signed photocard", 15000m, stock: 1, limitPerFan: 1, maxActive: 1);
        await QueueKnowsAsync(productId);
        using var buyer = platform.Fan("last-unit-1");
        using var next = platform.Fan("last-unit-2");
        using var waiting = platform.Fan("last-unit-3");
        var pass = await AdmittedAheadOfAsync(productId, buyer, next, waiting);
        // The buyer's confirmed order frees their place among the one admitted fan allowed, so the next fan may be let in
        // before the sold out arrives; the fan behind them is still waiting when it does.

        using var accepted = await CheckoutAsync(buyer, new { items = new[] { new { productId, quantity = 1 } }, payment = new { cardNumber = "4242 4242 4242 4242" } }, pass);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        await Polling.UntilAsync(async () => (await waiting.MineAsync(productId)).GetProperty("status").GetString() == "sold_out", TimeSpan.FromSeconds(30));
    }

    /// <summary>Lets <paramref name="admitted"/> in (its pass) and then queues the <paramref name="waiting"/> fans behind it.</summary>
    private static async Task<string> AdmittedAheadOfAsync(Guid dropId, HttpClient admitted, params HttpClient[] waiting)
    {
        var pass = await AdmittedPassAsync(admitted, dropId);
        foreach (var fan in waiting)
        {
            await fan.PostAsJsonAsync($"/api/queue/{dropId}/entries", new { });
        }

        return pass;
    }

    /// <summary>A product released half a minute ago with a waiting room that admits 100 fans a second.</summary>
    private async Task<Guid> MerchDropAsync(string name, decimal price, int stock, int limitPerFan, int? maxActive = null)
    {
        using var ops = platform.Operator();
        var releaseAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        return await TestProducts.ListAsync(ops, TestProducts.Body(name, price, stock: stock, limitPerFan: limitPerFan, more: new
        {
            releaseAt,
            waitingRoom = new { opensAt = releaseAt.AddMinutes(-5), admissionsPerMinute = 6_000, maxActive },
        }));
    }

    private async Task<Guid> ConcertWithWaitingRoomAsync(int seats, int admissionsPerMinute, int? maxActive = null)
    {
        using var ops = platform.Operator();
        var saleOpensAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        var concert = TestConcerts.OnSale("Queue Night", "Han River Arena", ticketLimitPerFan: 4, [seats], more: new
        {
            saleOpensAt,
            waitingRoom = new { opensAt = saleOpensAt.AddMinutes(-5), admissionsPerMinute, maxActive },
        });
        var id = await TestConcerts.PublishAsync(ops, platform.Client, concert, TimeSpan.FromSeconds(30));
        await QueueKnowsAsync(id);
        return id;
    }

    private async Task QueueKnowsAsync(Guid dropId)
    {
        using var ops = platform.Operator();
        await Polling.UntilAsync(async () => (await ops.GetAsync($"/api/queue/{dropId}")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
    }

    /// <summary>Joins the drop's queue through the gateway and waits to be let in; returns the pass.</summary>
    private static async Task<string> AdmittedPassAsync(HttpClient fan, Guid dropId)
    {
        (await fan.PostAsJsonAsync($"/api/queue/{dropId}/entries", new { })).EnsureSuccessStatusCode();
        JsonElement mine = default;
        await Polling.UntilAsync(async () => (mine = await fan.MineAsync(dropId)).GetProperty("status").GetString() == "admitted", TimeSpan.FromSeconds(30));
        return mine.GetProperty("admissionPass").GetString()!;
    }

    private static async Task<HttpResponseMessage> HoldAsync(HttpClient fan, Guid concertId, string? pass)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/concerts/{concertId}/holds") { Content = JsonContent.Create(new { tier = "R", quantity = 1 }) };
        if (pass is not null)
        {
            request.Headers.Add(AdmissionPasses.HeaderName, pass);
        }

        return await fan.SendAsync(request);
    }

    /// <summary>Checks out, with the admission pass when there is one.</summary>
    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient fan, object body, string? pass) =>
        Polling.CheckoutAnswerAsync(fan, body, request =>
        {
            if (pass is not null)
            {
                request.Headers.Add(AdmissionPasses.HeaderName, pass);
            }
        });
}
