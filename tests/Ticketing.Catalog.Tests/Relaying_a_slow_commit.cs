using Marten;
using Marten.Services;
using Npgsql;
using Ticketing.Catalog.SoldOut;
using Integration = Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Tests;

/// <summary>
/// An event whose transaction commits long after it took its sequence number (a slow commit, a long lock wait) leaves
/// a gap in the sequence that later events fill around. The outbox relay must wait for it, not skip it: a skipped
/// event is a message never published.
/// </summary>
public sealed class Relaying_a_slow_commit(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    /// <summary>Well past Marten's stale-sequence threshold (3 s), after which a gap could be taken for a rollback.</summary>
    private static readonly TimeSpan SlowCommit = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task An_event_committed_long_after_its_sequence_number_was_taken_is_still_published()
    {
        var store = catalog.Catalog.Services.GetRequiredService<IDocumentStore>();
        var slowProductId = Guid.NewGuid();
        var laterProductIds = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();

        await using var connection = new NpgsqlConnection(catalog.Catalog.Settings["ConnectionStrings:Postgres"]);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var slow = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            slow.Events.Append(Guid.NewGuid(), new ProductSoldOut(slowProductId, DateTimeOffset.UtcNow));
            await slow.SaveChangesAsync(); // takes its sequence number; the transaction stays open
        }

        // Events after the gap commit and are published around it... or wait for it: either way none may be lost.
        foreach (var productId in laterProductIds)
        {
            await using var session = store.LightweightSession();
            session.Events.Append(Guid.NewGuid(), new ProductSoldOut(productId, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await Lasting.ForAsync(SlowCommit, because: "the transaction stays open longer than the relay waits for a gap in the sequence");
        await transaction.CommitAsync();

        await catalog.Messages.WaitForAsync<Integration.ProductSoldOut>(message => message.ProductId == slowProductId, TimeSpan.FromSeconds(30));
        foreach (var productId in laterProductIds)
        {
            await catalog.Messages.WaitForAsync<Integration.ProductSoldOut>(message => message.ProductId == productId, TimeSpan.FromSeconds(30));
        }
    }
}
