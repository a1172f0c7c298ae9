using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Queue.LuckyDraws;

/// <summary>Section <c>Queue:LuckyDraws</c>.</summary>
public sealed class LuckyDrawOptions
{
    /// <summary>How often draws are checked for a closed window or a lapsed right.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// On one instance at a time: draws every draw whose window has closed, and passes every lapsed purchase right on to
/// the next entry of the drawn order. Both are decided by <see cref="LuckyDrawRules"/> and saved with the draw's
/// optimistic concurrency, so a claim arriving at the same moment is not lost (the next round sees it).
/// </summary>
public sealed class LuckyDrawRunner(
    IConfiguration configuration,
    IDocumentStore store,
    LuckyDrawStore draws,
    IOptions<LuckyDrawOptions> options,
    TimeProvider time,
    ILogger<LuckyDrawRunner> logger) : SingleInstanceWorker(configuration, time, logger)
{
    protected override long LockKey => 0x71756575_6C75636B; // "queulcuk"

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var due = await session.Query<LuckyDraw>()
            .Where(draw => (draw.Status == LuckyDrawStatus.Open && draw.ClosesAt <= now) || draw.Status == LuckyDrawStatus.Drawn)
            .ToListAsync(cancellationToken);
        return due
            .Where(draw => draw.Status == LuckyDrawStatus.Open
                || (draw.Rights.Any(right => right.Status == PurchaseRightStatus.Granted && right.ExpiresAt <= now)))
            .Select(draw => draw.Id)
            .ToList();
    }

    protected override async Task FireAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<LuckyDraw>(id, cancellationToken) is not { } draw)
        {
            return;
        }

        var now = Time.GetUtcNow();
        var changed = draw.Status == LuckyDrawStatus.Open
            ? LuckyDrawRules.Drawn(draw, LuckyDrawRules.Order(draw.Seed, await draws.EntriesAsync(id, cancellationToken)), now)
            : LuckyDrawRules.PassOn(draw, (await draws.DrawnOrderAsync(draw, cancellationToken)).Entries, now);
        if (!ReferenceEquals(changed, draw))
        {
            session.Update(changed);
            await session.SaveChangesAsync(cancellationToken);
        }
    }
}
