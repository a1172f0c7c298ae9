using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Tickets.Holds;

/// <summary>The durable timer of holds: frees every hold past its <c>ExpiresAt</c>, on one instance at a time.</summary>
public sealed class HoldExpiryRunner(
    IConfiguration configuration,
    IDocumentStore store,
    SeatBook book,
    IOptions<HoldOptions> options,
    TimeProvider time,
    ILogger<HoldExpiryRunner> logger) : SingleInstanceWorker(configuration, time, logger)
{
    protected override long LockKey => 0x7469783A686F6C64; // "tix:hold"

    protected override TimeSpan Interval => options.Value.ExpiryScanInterval;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Query<Hold>()
            .Where(hold => hold.Status == HoldStatus.Held && hold.ExpiresAt <= now)
            .OrderBy(hold => hold.ExpiresAt)
            .Select(hold => hold.Id)
            .Take(200)
            .ToListAsync(cancellationToken);
    }

    protected override Task FireAsync(Guid id, CancellationToken cancellationToken) => book.ExpireAsync(id, cancellationToken);
}
