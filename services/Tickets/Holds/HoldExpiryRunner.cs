using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// The durable timer of holds, on one instance at a time: every round it finds the concerts with holds past their
/// <c>ExpiresAt</c> (from the hold documents) and has each concert's ledger free them. Deadlines are data, so a new
/// leader finds exactly what was due.
/// </summary>
public sealed class HoldExpiryRunner(
    IConfiguration configuration,
    IDocumentStore store,
    SeatLedgers ledgers,
    IOptions<HoldOptions> options,
    TimeProvider time,
    ILogger<HoldExpiryRunner> logger) : SingleInstanceWorker(configuration, time, logger)
{
    protected override long LockKey => 0x7469783A686F6C64; // "tix:hold"

    protected override TimeSpan Interval => options.Value.ExpiryScanInterval;

    /// <summary>The condition of the held holds' partial index on <c>expires_at</c> (Extensions), as SQL.</summary>
    public const string HeldCondition = $"status = '{nameof(HoldStatus.Held)}'";

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // In SQL with the index's condition written out (DocumentColumns.TableOf); without the partial index it read
        // every hold ever sold.
        await using var session = store.QuerySession();
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"select distinct (data ->> 'concertId')::uuid from {store.TableOf<Hold>()} where {HeldCondition} and expires_at <= ? limit 100",
            cancellationToken,
            now);
    }

    protected override async Task FireAsync(Guid concertId, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(concertId, cancellationToken) is { } ledger)
        {
            await ledger.DecideAsync(new ExpireHolds(), cancellationToken);
        }
    }
}
