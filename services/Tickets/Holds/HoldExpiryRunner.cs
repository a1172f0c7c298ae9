using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// The durable timer for holds: deadlines are data (each hold's <c>ExpiresAt</c>), and one instance at a time
/// frees the holds whose time has passed, every scan interval. Nothing is lost on a crash: the next runner
/// finds the same due holds.
/// </summary>
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

    /// <summary>Frees holds past their time, a batch at a time. Returns how many it freed.</summary>
    protected override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        IReadOnlyList<Guid> due;
        await using (var session = store.QuerySession())
        {
            due = await session.Query<Hold>()
                .Where(hold => hold.Status == HoldStatus.Held && hold.ExpiresAt <= now)
                .OrderBy(hold => hold.ExpiresAt)
                .Select(hold => hold.Id)
                .Take(200)
                .ToListAsync(cancellationToken);
        }

        var expired = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (holdId, token) =>
        {
            if (await book.ExpireAsync(holdId, token))
            {
                Interlocked.Increment(ref expired);
            }
        });
        return expired;
    }
}
