using System.Text;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Tests;

public sealed partial class Holding_seats(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    private static Task<HttpResponseMessage> HoldAsync(HttpClient fan, Guid concertId, object body) =>
        fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", body);

    [Fact]
    public async Task A_published_concert_has_every_seat_available_with_its_tier_and_price()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var client = tickets.Anonymous();

        var map = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seats");
        var availability = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/availability");

        var seats = map.GetProperty("seats").EnumerateArray().ToList();
        Assert.Equal(42, seats.Count);
        Assert.All(seats, seat => Assert.Equal("available", seat.GetProperty("status").GetString()));
        var first = seats[0];
        Assert.Equal("A-1-1", first.GetProperty("seatId").GetString());
        Assert.Equal("VIP", first.GetProperty("tier").GetString());
        Assert.Equal(198000m, first.GetProperty("price").GetDecimal());
        Assert.Equal(4, map.GetProperty("ticketLimitPerFan").GetInt32());
        Assert.Equal(42, availability.GetProperty("available").GetInt32());
        Assert.Equal(30, availability.GetProperty("tiers")[1].GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task A_redelivered_concert_builds_nothing_twice()
    {
        var concertId = await tickets.PublishConcertAsync();
        var again = new ConcertPublished(concertId, "NOVA", "First Light", "Arena", "Seoul", "Asia/Seoul",
            DateTimeOffset.UtcNow.AddDays(30), DateTimeOffset.UtcNow.AddMinutes(-1), 4,
            [new PriceTier("VIP", "VIP", 1m, "KRW")], [new SeatSection("Z", "VIP", [new SeatRow("1", 3)])], 3, DateTimeOffset.UtcNow);

        using (var consumed = ConsumedSignal<ConcertPublished>.On(tickets.Tickets.Services, message => message.ConcertId == concertId))
        {
            await tickets.Messages.Publisher.Publish(again);
            await consumed.WaitAsync();
        }

        var statuses = await TicketsFixture.SeatStatusesAsync(tickets.Anonymous(), concertId);
        Assert.Equal(42, statuses.Count);
        Assert.DoesNotContain("Z-1-1", statuses.Keys);
    }

    [Fact]
    public async Task Which_concert_a_hold_belongs_to_is_forgotten_after_an_hour_and_then_read_from_the_hold()
    {
        var concertId = await tickets.PublishConcertAsync();
        var placed = await TicketsFixture.HoldAsync(tickets.Fan("fan-locator"), concertId, "B-3-1");
        var onlyRemembered = Guid.NewGuid(); // a hold id with no document: only memory knows it
        var clock = new AdjustableClock();
        var locator = new Ticketing.Tickets.Ledger.HoldLocator(tickets.Tickets.Services.GetRequiredService<Marten.ISessionFactory>(), clock);
        locator.Remember(concertId, [placed, onlyRemembered]);

        clock.Jump(Ticketing.Tickets.Ledger.HoldLocator.Generation);
        Assert.Equal(concertId, await locator.ConcertOfAsync(onlyRemembered, CancellationToken.None)); // the older generation
        Assert.Equal(2, locator.Remembered);

        clock.Jump(Ticketing.Tickets.Ledger.HoldLocator.Generation);
        Assert.Null(await locator.ConcertOfAsync(onlyRemembered, CancellationToken.None));
        Assert.Equal(0, locator.Remembered);
        Assert.Equal(concertId, await locator.ConcertOfAsync(placed, CancellationToken.None)); // from the hold's document
    }

    [Theory]
    [InlineData("seats")]
    [InlineData("availability")]
    public async Task An_unknown_concert_is_a_404_problem(string what)
    {
        using var response = await tickets.Anonymous().GetAsync($"/api/tickets/concerts/{Guid.NewGuid()}/{what}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Specific_seats_are_held_for_the_fan_until_the_hold_expires()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan("fan-specific");

        using var response = await HoldAsync(fan, concertId, new { seatIds = new[] { "A-1-3", "a-1-4" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var hold = await response.ReadJsonAsync<JsonElement>();
        var holdId = hold.GetProperty("holdId").GetGuid();
        Assert.Equal($"/api/tickets/holds/{holdId}", response.Headers.Location?.OriginalString);
        Assert.Equal(["A-1-3", "A-1-4"], hold.GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(396000m, hold.GetProperty("total").GetDecimal());
        var expiresAt = hold.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(6.5), TimeSpan.FromMinutes(7.1));
        var statuses = await TicketsFixture.SeatStatusesAsync(fan, concertId);
        Assert.Equal("held", statuses["A-1-3"]);
        Assert.Equal("held", statuses["A-1-4"]);
        Assert.Equal("available", statuses["A-1-5"]);
        var announced = await tickets.Messages.WaitForAsync<SeatsHeld>(m => m.HoldId == holdId);
        Assert.Equal("fan-specific", announced.FanId);
    }

    [Fact]
    public async Task A_taken_seat_is_a_409_and_nothing_of_the_request_is_held()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var first = tickets.Fan("fan-first");
        using var second = tickets.Fan("fan-second");
        (await HoldAsync(first, concertId, new { seatIds = new[] { "B-1-5" } })).EnsureSuccessStatusCode();

        using var response = await HoldAsync(second, concertId, new { seatIds = new[] { "B-1-4", "B-1-5" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal("Those seats were just taken", problem.GetProperty("title").GetString());
        Assert.Equal("seats_taken", problem.GetProperty("reason").GetString());
        Assert.Equal(["B-1-5"], problem.GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()));
        var statuses = await TicketsFixture.SeatStatusesAsync(second, concertId);
        Assert.Equal("available", statuses["B-1-4"]);
    }

    [Fact]
    public async Task Best_available_takes_adjacent_seats_in_the_best_row()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var blocker = tickets.Fan("fan-blocker");
        // Row 1 of section B keeps only single seats free: no pair left there.
        (await HoldAsync(blocker, concertId, new { seatIds = new[] { "B-1-2", "B-1-4", "B-1-6", "B-1-8" } })).EnsureSuccessStatusCode();
        using var fan = tickets.Fan("fan-best");

        using var response = await HoldAsync(fan, concertId, new { tier = "r", quantity = 3 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var seats = (await response.ReadJsonAsync<JsonElement>()).GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.All(seats, seat => Assert.StartsWith("B-2-", seat));
        var numbers = seats.Select(seat => int.Parse(seat.Split('-')[2])).Order().ToList();
        Assert.Equal(Enumerable.Range(numbers[0], 3), numbers);
    }

    [Fact]
    public async Task A_fan_cannot_hold_more_than_the_concerts_limit_across_holds()
    {
        var concertId = await tickets.PublishConcertAsync(ticketLimitPerFan: 3);
        using var fan = tickets.Fan("fan-limit");
        (await HoldAsync(fan, concertId, new { seatIds = new[] { "B-3-1", "B-3-2" } })).EnsureSuccessStatusCode();

        using var response = await HoldAsync(fan, concertId, new { tier = "R", quantity = 2 });

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var problem = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        Assert.Equal("over_limit", problem.GetProperty("reason").GetString());
        Assert.Contains("at most 3 tickets", problem.GetProperty("detail").GetString());
        using var oneMore = await HoldAsync(fan, concertId, new { tier = "R", quantity = 1 });
        Assert.Equal(HttpStatusCode.Created, oneMore.StatusCode);
    }

    [Fact]
    public async Task Seats_cannot_be_held_before_the_sale_opens()
    {
        var opensAt = DateTimeOffset.UtcNow.AddHours(5);
        var concertId = await tickets.PublishConcertAsync(saleOpensAt: opensAt);

        using var response = await HoldAsync(tickets.Fan("fan-early"), concertId, new { seatIds = new[] { "A-1-1" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal("Sales have not opened yet", problem.GetProperty("title").GetString());
        Assert.Equal("sale_not_open", problem.GetProperty("reason").GetString());
        Assert.Equal(opensAt.ToUnixTimeSeconds(), problem.GetProperty("opensAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    public static TheoryData<string, string, string> BadHolds => new()
    {
        { "both ways at once", """{ "seatIds": ["A-1-1"], "tier": "VIP", "quantity": 1 }""", "body" },
        { "neither way", "{}", "body" },
        { "no seats", """{ "seatIds": [] }""", "seatIds" },
        { "a seat twice", """{ "seatIds": ["A-1-1", "a-1-1"] }""", "seatIds" },
        { "an unknown seat", """{ "seatIds": ["A-1-1", "Q-9-99"] }""", "seatIds" },
        { "quantity zero", """{ "tier": "VIP", "quantity": 0 }""", "quantity" },
        { "tier without quantity", """{ "tier": "VIP" }""", "quantity" },
        { "an unknown tier", """{ "tier": "GOLD", "quantity": 1 }""", "tier" },
    };

    [Theory]
    [MemberData(nameof(BadHolds))]
    public async Task A_malformed_hold_is_a_400_naming_the_field(string because, string body, string field)
    {
        var concertId = await tickets.PublishConcertAsync();

        using var response = await tickets.Fan("fan-bad").PostAsync(
            $"/api/tickets/concerts/{concertId}/holds", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        var errors = (await response.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{because}: {errors}");
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var concertId = await tickets.PublishConcertAsync();

        using var response = await tickets.Fan("fan-bad").PostAsync(
            $"/api/tickets/concerts/{concertId}/holds", new StringContent("{ \"seatIds\": [1, ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Holding_needs_a_fan()
    {
        var concertId = await tickets.PublishConcertAsync();

        using var response = await HoldAsync(tickets.Anonymous(), concertId, new { seatIds = new[] { "A-1-1" } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_holder_can_release_a_hold_and_no_one_else_can_see_or_release_it()
    {
        var concertId = await tickets.PublishConcertAsync(ticketLimitPerFan: 2);
        using var fan = tickets.Fan("fan-release");
        using var other = tickets.Fan("fan-other");
        var holdId = (await (await HoldAsync(fan, concertId, new { seatIds = new[] { "A-2-1", "A-2-2" } })).ReadJsonAsync<JsonElement>())
            .GetProperty("holdId").GetGuid();

        using var peek = await other.GetAsync($"/api/tickets/holds/{holdId}");
        using var steal = await other.DeleteAsync($"/api/tickets/holds/{holdId}");
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, steal.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync($"/api/tickets/holds/{holdId}")).StatusCode);

        using var release = await fan.DeleteAsync($"/api/tickets/holds/{holdId}");

        Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        var statuses = await TicketsFixture.SeatStatusesAsync(fan, concertId);
        Assert.Equal("available", statuses["A-2-1"]);
        var released = await tickets.Messages.WaitForAsync<SeatsReleased>(m => m.HoldId == holdId);
        Assert.Equal("released", released.Reason);
        // The fan's limit is free again.
        Assert.Equal(HttpStatusCode.Created, (await HoldAsync(fan, concertId, new { tier = "VIP", quantity = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fan.DeleteAsync($"/api/tickets/holds/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_fan_on_another_device_finds_their_own_holds_on_a_concert_and_no_one_elses()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var phone = tickets.Fan("fan-two-devices");
        using var laptop = tickets.Fan("fan-two-devices");
        using var other = tickets.Fan("fan-not-them");
        var mine = $"/api/tickets/concerts/{concertId}/holds/mine";
        var holdId = await TicketsFixture.HoldAsync(phone, concertId, "B-3-7", "B-3-8");
        await TicketsFixture.HoldAsync(other, concertId, "B-3-9");

        using var found = await laptop.GetAsync(mine);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains("no-store", found.Headers.CacheControl?.ToString());
        var hold = Assert.Single((await found.ReadJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Equal(holdId, hold.GetProperty("holdId").GetGuid());
        Assert.Equal(concertId, hold.GetProperty("concertId").GetGuid());
        Assert.Equal("Held", hold.GetProperty("status").GetString());
        Assert.Equal(["B-3-7", "B-3-8"], hold.GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()));
        Assert.True(hold.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var others = await other.GetFromJsonAsync<JsonElement>(mine);
        Assert.Equal(["B-3-9"], Assert.Single(others.EnumerateArray()).GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()));

        (await laptop.DeleteAsync($"/api/tickets/holds/{holdId}")).EnsureSuccessStatusCode();

        Assert.Empty((await phone.GetFromJsonAsync<JsonElement>(mine)).EnumerateArray());
        using var unknown = await laptop.GetAsync($"/api/tickets/concerts/{Guid.NewGuid()}/holds/mine");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        using var anonymous = await tickets.Anonymous().GetAsync(mine);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
