using Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Tests;

/// <summary>Holds of seven minutes, made due by moving Tickets' clock past them instead of waiting.</summary>
public sealed class Holds_expire_on_their_own(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    private void PastEveryHold() => tickets.Clock.Jump(TicketsFixture.HoldDuration + TimeSpan.FromMinutes(1));

    [Fact]
    public async Task An_expired_hold_frees_its_seats_and_the_fans_limit_without_any_request()
    {
        var concertId = await tickets.PublishConcertAsync(ticketLimitPerFan: 2);
        using var fan = tickets.Fan("fan-slow");
        var holdId = await TicketsFixture.HoldAsync(fan, concertId, "A-1-1", "A-1-2");

        PastEveryHold();
        var released = await tickets.Messages.WaitForAsync<SeatsReleased>(m => m.HoldId == holdId, TimeSpan.FromSeconds(60));

        Assert.Equal("expired", released.Reason);
        var statuses = await TicketsFixture.SeatStatusesAsync(tickets.Anonymous(), concertId);
        Assert.Equal("available", statuses["A-1-1"]);
        Assert.Equal("available", statuses["A-1-2"]);
        var hold = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/holds/{holdId}");
        Assert.Equal("Expired", hold.GetProperty("status").GetString());
        using var again = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { tier = "VIP", quantity = 2 });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    /// <summary>
    /// A hold is written three times in a sale: its table indexes only what its readers use, so a hold checked out or sold
    /// leaves the expiry runner's index and its writes add entries to the id's and the fan's alone.
    /// </summary>
    [Fact]
    public async Task Due_holds_are_found_in_an_index_of_the_held_holds_only()
    {
        var indexes = await TableIndexes.OfAsync(tickets.DatabaseConnectionString, "mt_doc_hold");

        Assert.Equal(["btree (expires_at) WHERE ((status)::text = 'Held'::text)", "btree (fan_id)", "btree (id)"], indexes);
    }

    [Fact]
    public async Task A_hold_in_checkout_does_not_expire_while_its_payment_runs()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan("fan-paying");
        var holdId = await TicketsFixture.HoldAsync(fan, concertId, "B-1-1");
        var orderId = Guid.NewGuid();
        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, "fan-paying"));
        await tickets.Messages.WaitForAsync<HoldConfirmed>(m => m.OrderId == orderId);

        // A hold of the same concert not in checkout: its expiry is the signal that the expiry round has run.
        var otherHoldId = await TicketsFixture.HoldAsync(fan, concertId, "B-1-2");
        PastEveryHold();
        await tickets.Messages.WaitForAsync<SeatsReleased>(m => m.HoldId == otherHoldId, TimeSpan.FromSeconds(60));

        var hold = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/holds/{holdId}");
        Assert.Equal("CheckedOut", hold.GetProperty("status").GetString());
        Assert.Equal("held", (await TicketsFixture.SeatStatusesAsync(fan, concertId))["B-1-1"]);
    }

    [Fact]
    public async Task Checking_out_an_expired_hold_is_refused_as_expired()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan("fan-too-late");
        var holdId = await TicketsFixture.HoldAsync(fan, concertId, "B-2-2");
        PastEveryHold();
        await tickets.Messages.WaitForAsync<SeatsReleased>(m => m.HoldId == holdId, TimeSpan.FromSeconds(60));
        var orderId = Guid.NewGuid();

        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, "fan-too-late"));

        var rejected = await tickets.Messages.WaitForAsync<HoldRejected>(m => m.OrderId == orderId);
        Assert.Equal(HoldRejectionReasons.Expired, rejected.Reason);
    }
}
