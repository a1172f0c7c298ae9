using Marten;
using Marten.Events.Daemon.Coordination;
using Npgsql;

namespace Ticketing.Insights.Tests;

public sealed class TakeoverFixture : InsightsFixture;

/// <summary>
/// An Insights database from before its read models were one composite projection (six projections, each with its own
/// progress row) is taken over without counting an event twice: from where the six were, when they were all at the same
/// event, or by a rebuild from the recorded events when they were not.
/// </summary>
public sealed class Taking_over_separate_projections(TakeoverFixture platform) : IClassFixture<TakeoverFixture>
{
    [Fact]
    public async Task Counts_every_event_once()
    {
        var concertId = await platform.ConcertOnSaleAsync("Takeover Night");
        var paid = await platform.OrderAsync("fan-t1", await platform.HoldAsync("fan-t1", concertId, "V-1-1", "V-1-2"), [], InsightsFixture.ApprovingCard);
        Assert.Equal("Confirmed", paid.Status);
        await platform.UntilAsync($"/api/insights/concerts/{concertId}", c => (int?)c["concert"]!["sold"] == 2 && (int?)c["concert"]!["held"] == 0);
        await platform.ProjectionsCaughtUpAsync();
        var before = await NumbersAsync(concertId);

        var store = platform.Insights.Services.GetRequiredService<IDocumentStore>();
        var daemon = platform.Insights.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        var takeover = platform.Insights.Services.GetRequiredService<InsightsProgressTakeover>();
        Assert.Equal("nothing to take over", await takeover.TakeOverAsync(CancellationToken.None));

        // 1. The old layout, caught up: every member at the same event, no composite progress.
        await daemon.StopAllAsync();
        var reached = await ProgressAsync(store, "Insights:All");
        await ExecuteAsync(store, "delete from mt_event_progression where name = 'Insights:All'");

        // While an instance of the old version still runs one of the six (holds its daemon lock), it is not taken over.
        await using (var oldDaemon = store.Storage.Database.CreateConnection())
        {
            await oldDaemon.OpenAsync();
            var lockId = InsightsProgressTakeover.DaemonLockOf(store, "ConcertSales");
            await using (var locking = new NpgsqlCommand($"select pg_advisory_lock({lockId})", oldDaemon))
            {
                await locking.ExecuteNonQueryAsync();
            }

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => takeover.TakeOverAsync(CancellationToken.None));
            Assert.Contains("Stop the old Insights instances", refused.Message);

            // The lock is the session's: let it go before the connection returns to the pool.
            await using var unlocking = new NpgsqlCommand($"select pg_advisory_unlock({lockId})", oldDaemon);
            await unlocking.ExecuteNonQueryAsync();
        }

        // Once it has stopped, the composite goes on from where the six were.
        Assert.Equal($"went on from {reached}", await takeover.TakeOverAsync(CancellationToken.None));
        await daemon.StartAllAsync();
        await platform.ProjectionsCaughtUpAsync();
        Assert.Equal(before, await NumbersAsync(concertId));

        // ... and goes on: a new hold is counted, once.
        await platform.HoldAsync("fan-t2", concertId, "R-1-1");
        await platform.UntilAsync($"/api/insights/concerts/{concertId}", c => (int?)c["concert"]!["held"] == 1);
        await platform.ProjectionsCaughtUpAsync();
        var afterHold = await NumbersAsync(concertId);
        Assert.Equal((2, 1), ((int)JsonNode.Parse(afterHold.Concert)!["concert"]!["sold"]!, (int)JsonNode.Parse(afterHold.Concert)!["concert"]!["held"]!));

        // 2. The old layout, not caught up: one member an event behind the others. The read models are rebuilt.
        await daemon.StopAllAsync();
        await ExecuteAsync(store, "delete from mt_event_progression where name = 'Insights:All'");
        await ExecuteAsync(store, "update mt_event_progression set last_seq_id = last_seq_id - 1 where name = 'RowSeatMap:All'");
        Assert.Equal("rebuilding", await takeover.TakeOverAsync(CancellationToken.None));
        Assert.Equal(0, (int)(await platform.GetAsync("/api/insights/overview"))["orders"]!["placed"]!);
        await daemon.StartAllAsync();
        await platform.ProjectionsCaughtUpAsync();
        Assert.Equal(afterHold, await NumbersAsync(concertId));
    }

    private async Task<(string Overview, string Concert)> NumbersAsync(Guid concertId) => (
        InsightsFixture.Numbers(await platform.GetAsync("/api/insights/overview")),
        InsightsFixture.Numbers(await platform.GetAsync($"/api/insights/concerts/{concertId}")));

    private static async Task<long> ProgressAsync(IDocumentStore store, string shard)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select last_seq_id from mt_event_progression where name = @name", connection);
        command.Parameters.AddWithValue("name", shard);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(IDocumentStore store, string sql)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
