using Npgsql;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Tests;

/// <summary>A fan's request that goes away while its hold commits.</summary>
public sealed class Abandoned_holds(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    [Fact]
    public async Task A_hold_that_commits_after_its_fan_gave_up_is_given_back_at_once()
    {
        var concertId = await tickets.PublishConcertAsync();

        // Appends to the event store wait behind this lock, so the hold's commit is slower than the fan's patience.
        await using var blocker = new NpgsqlConnection(tickets.DatabaseConnectionString);
        await blocker.OpenAsync();
        await using var locked = await blocker.BeginTransactionAsync();
        await using (var lockEvents = new NpgsqlCommand("LOCK TABLE mt_events IN EXCLUSIVE MODE", blocker, locked))
        {
            await lockEvents.ExecuteNonQueryAsync();
        }

        using var fan = tickets.Fan("fan-impatient");
        using var patience = new CancellationTokenSource();
        var holding = fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "A-1-1", "A-1-2" } }, patience.Token);

        // The fan gives up once the hold's commit is waiting behind the lock (before that, nothing would have been held).
        await using (var watcher = new NpgsqlConnection(tickets.DatabaseConnectionString))
        {
            await watcher.OpenAsync();
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", watcher);
            await Polling.UntilAsync(async () => (long)(await waiting.ExecuteScalarAsync())! > 0, TimeSpan.FromSeconds(60));
        }

        await patience.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holding);
        await locked.CommitAsync(); // the hold's commit goes through now, with nobody left to tell

        var released = await tickets.Messages.WaitForAsync<SeatsReleased>(m => m.ConcertId == concertId, TimeSpan.FromSeconds(60));
        Assert.Equal("abandoned", released.Reason);
        Assert.Equal(["A-1-1", "A-1-2"], released.SeatIds.Order());
        var statuses = await TicketsFixture.SeatStatusesAsync(tickets.Anonymous(), concertId);
        Assert.Equal("available", statuses["A-1-1"]);
        Assert.Equal("available", statuses["A-1-2"]);
    }
}

/// <summary>Tickets cut off from its database while a paid order's sale is delivered.</summary>
public sealed class Selling_while_the_database_is_away(TicketsBehindDatabaseProxyFixture tickets) : IClassFixture<TicketsBehindDatabaseProxyFixture>
{
    [Fact]
    public async Task A_sale_delivered_during_a_database_outage_issues_the_tickets_once_the_database_is_back()
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan("fan-paid");
        using var held = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "B-1-1", "B-1-2" } });
        var holdId = (await held.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
        var orderId = Guid.NewGuid();
        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, "fan-paid"));
        await tickets.Messages.WaitForAsync<HoldConfirmed>(m => m.OrderId == orderId);

        // The outage outlasts the immediate retries (0.1 + 0.5 + 2 s) that once sent such a sale to the error queue.
        tickets.DatabaseProxy!.Cut();
        await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, "fan-paid"));
        await Lasting.ForAsync(TimeSpan.FromSeconds(6), because: "the outage outlasts the consumer's immediate retries");
        tickets.DatabaseProxy.Restore();

        var issued = await tickets.Messages.WaitForAsync<TicketsIssued>(m => m.HoldId == holdId, TimeSpan.FromSeconds(60));
        Assert.Equal(2, issued.Tickets.Count);
        Assert.Empty(await tickets.Bus.Management.PeekAsync(tickets.Bus.Name, "tickets-sell-hold_error"));
    }
}
