using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.SeatState;

namespace Ticketing.Tickets.Tests;

/// <summary>The seat state as a vector per section, its versions and deltas: pure functions of two states.</summary>
public sealed class Seat_state
{
    private static readonly ConcertInventory Venue = ConcertInventory.Create(new InventoryOpened(
        Guid.NewGuid(), "NOVA", "First Light", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 4,
        [new TierPrice("VIP", "VIP floor", 198000m, "KRW"), new TierPrice("R", "R seat", 154000m, "KRW")],
        [new InventorySection("A", "VIP", [new InventoryRow("1", 3), new InventoryRow("2", 3)]), new InventorySection("B", "R", [new InventoryRow("1", 4)])],
        DateTimeOffset.UnixEpoch));

    private static readonly SeatLayout Layout = SeatLayout.From(Venue, JsonSerializerOptions.Web);

    private static SeatStateSnapshot State(long version, string codes) =>
        new(Layout, version, System.Text.Encoding.ASCII.GetBytes(codes), salesStopped: false, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Seats_are_in_layout_order_one_letter_each_per_section()
    {
        var response = State(7, "aahsaaaaah").ToResponse();

        Assert.Equal(Layout.Version, response.LayoutVersion);
        Assert.Equal(7, response.Version);
        Assert.Equal(["A", "B"], response.Sections.Select(section => section.Code));
        Assert.Equal("aahsaa", response.Sections[0].Seats);
        Assert.Equal("aaah", response.Sections[1].Seats);
        Assert.Equal(10, Layout.Capacity);
        Assert.Equal(16, Layout.Version.Length);
    }

    [Fact]
    public void A_delta_names_the_changed_seats_of_each_section_by_index()
    {
        var delta = State(9, "ahhaaasaaa").DeltaFrom(State(7, "aaaaaaaaah"));

        Assert.Equal(7, delta.From);
        Assert.Equal(9, delta.Version);
        Assert.Collection(delta.Changes,
            a => (a.Section, a.At, a.Seats).Equals(("A", new[] { 1, 2 }, "hh")),
            b =>
            {
                Assert.Equal("B", b.Section);
                Assert.Equal([0, 3], b.At);
                Assert.Equal("sa", b.Seats);
            });
        Assert.Equal([1, 2], delta.Changes[0].At);
        Assert.Equal("hh", delta.Changes[0].Seats);
        Assert.Equal(4, State(9, "ahhaaasaaa").ChangedSeats(State(7, "aaaaaaaaah")));
    }

    [Fact]
    public void Tiers_are_counted_from_the_vector()
    {
        var counts = State(3, "ahsaaahsss").TierCounts;

        Assert.Equal(new TierCount(6, 4, 1, 1), counts[0]);
        Assert.Equal(new TierCount(4, 0, 1, 3), counts[1]);
    }

    [Fact]
    public void The_same_venue_has_the_same_layout_version_and_another_venue_another()
    {
        var again = SeatLayout.From(Venue, JsonSerializerOptions.Web);
        var other = SeatLayout.From(Venue with { Sections = [Venue.Sections[0]] }, JsonSerializerOptions.Web);

        Assert.Equal(Layout.Version, again.Version);
        Assert.NotEqual(Layout.Version, other.Version);
    }
}

/// <summary>The layout, the seat state and the first shape of the seat map, read from the service itself.</summary>
public sealed partial class Holding_seats
{
    [Fact]
    public async Task The_seat_state_follows_holds_with_a_growing_version_and_the_old_map_agrees()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var anyone = tickets.Anonymous();
        using var layoutResponse = await anyone.GetAsync($"/api/tickets/concerts/{concertId}/layout");
        var layout = await layoutResponse.ReadJsonAsync<JsonElement>();
        var before = await anyone.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seat-state");

        using var fan = tickets.Fan("fan-state");
        (await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "B-2-3" } })).EnsureSuccessStatusCode();
        JsonElement after = before;
        await Polling.UntilAsync(async () =>
        {
            after = await anyone.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seat-state");
            return after.GetProperty("version").GetInt64() > before.GetProperty("version").GetInt64();
        }, TimeSpan.FromSeconds(10));

        Assert.Equal("public, max-age=31536000, immutable", layoutResponse.Headers.CacheControl?.ToString());
        Assert.Equal(42, layout.GetProperty("capacity").GetInt32());
        Assert.Equal(layout.GetProperty("layoutVersion").GetString(), after.GetProperty("layoutVersion").GetString());
        Assert.Equal(new string('a', 12), before.GetProperty("sections")[0].GetProperty("seats").GetString());
        Assert.Equal("aaaaaaaaaaaahaaaaaaaaaaaaaaaaa", after.GetProperty("sections")[1].GetProperty("seats").GetString());
        var seats = await TicketsFixture.SeatStatusesAsync(anyone, concertId);
        Assert.Equal("held", seats["B-2-3"]);
        Assert.Equal(41, seats.Values.Count(status => status == "available"));
    }

    [Fact]
    public async Task An_unknown_concert_has_no_layout_and_no_state()
    {
        using var anyone = tickets.Anonymous();
        foreach (var read in new[] { "layout", "seat-state", "seat-state/stream" })
        {
            using var response = await anyone.GetAsync($"/api/tickets/concerts/{Guid.NewGuid()}/{read}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
