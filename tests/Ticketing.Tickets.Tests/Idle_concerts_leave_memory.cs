using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Tests;

/// <summary>
/// A concert's seat ledger lives in Tickets' memory while the concert is in use; one nobody touches for
/// <see cref="TicketsFixture.LedgerIdleAfter"/> is dropped, and read again from its stream by the next request.
/// Tickets' clock is moved past the idle time instead of waiting for it.
/// </summary>
public sealed class Idle_concerts_leave_memory(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    [Fact]
    public async Task An_idle_concerts_ledger_is_dropped_and_the_next_requests_find_every_seat_as_it_was()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan("fan-paying");
        var holdId = await TicketsFixture.HoldAsync(fan, concertId, "A-1-1", "A-1-2");
        var orderId = Guid.NewGuid();
        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, "fan-paying"));
        await tickets.Messages.WaitForAsync<HoldConfirmed>(m => m.OrderId == orderId);
        Assert.Equal("held", (await TicketsFixture.SeatStatusesAsync(fan, concertId))["A-1-1"]);
        var ledgers = tickets.Tickets.Services.GetRequiredService<SeatLedgers>();
        Assert.True(IsLoaded(ledgers, concertId));

        tickets.Clock.Jump(TicketsFixture.LedgerIdleAfter + TimeSpan.FromMinutes(1));
        await Polling.UntilAsync(() => Task.FromResult(!IsLoaded(ledgers, concertId)), TimeSpan.FromSeconds(30));

        // The next requests read the ledger again: the seats in checkout are still taken, the others on sale.
        using var rival = tickets.Fan("fan-rival");
        using var refused = await rival.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "A-1-1" } });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("seats_taken", (await refused.ReadJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var statuses = await TicketsFixture.SeatStatusesAsync(rival, concertId);
        Assert.Equal("held", statuses["A-1-2"]);
        Assert.Equal("available", statuses["A-1-3"]);
        Assert.True(IsLoaded(ledgers, concertId));

        // The payment that arrives afterwards completes on the ledger read again.
        await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, "fan-paying"));
        var issued = await tickets.Messages.WaitForAsync<TicketsIssued>(m => m.HoldId == holdId);
        Assert.Equal(["A-1-1", "A-1-2"], issued.Tickets.Select(ticket => ticket.SeatId).Order());
        Assert.Equal("sold", (await TicketsFixture.SeatStatusesAsync(rival, concertId))["A-1-1"]);
    }

    private static bool IsLoaded(SeatLedgers ledgers, Guid concertId) =>
        ledgers.Loaded.Any(writer => writer.Inventory.Id == concertId);
}
