using System.Collections.Concurrent;
using Marten;

namespace Ticketing.Queue.LuckyDraws;

/// <summary>
/// Reads a draw's entries, and keeps each drawn draw's order in memory: once the window closed the entries never
/// change, so the order (one HMAC per entry) is computed once per instance, not on every fan's status poll.
/// </summary>
public sealed class LuckyDrawStore(IDocumentStore store)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<DrawnOrder>>> orders = new();

    /// <summary>The draw's entries in entry order (time, then id).</summary>
    public async Task<IReadOnlyList<(Guid EntryId, string FanId)>> EntriesAsync(Guid drawId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var entries = await session.Query<LuckyDrawEntry>()
            .Where(entry => entry.DrawId == drawId)
            .OrderBy(entry => entry.EnteredAt)
            .ThenBy(entry => entry.EntryId)
            .Select(entry => new EntryRow(entry.EntryId, entry.FanId))
            .ToListAsync(cancellationToken);
        return entries.Select(entry => (entry.EntryId, entry.FanId)).ToList();
    }

    /// <summary>The drawn order of a drawn draw, with each entry's place.</summary>
    public Task<DrawnOrder> DrawnOrderAsync(LuckyDraw draw, CancellationToken cancellationToken) =>
        orders.GetOrAdd(draw.Id, _ => new Lazy<Task<DrawnOrder>>(async () =>
        {
            var order = LuckyDrawRules.Order(draw.Seed, await EntriesAsync(draw.Id, CancellationToken.None));
            return new DrawnOrder(order, order.Select((entry, rank) => (entry.EntryId, rank)).ToDictionary(pair => pair.EntryId, pair => pair.rank));
        })).Value.WaitAsync(cancellationToken);

    private sealed record EntryRow(Guid EntryId, string FanId);
}

public sealed record DrawnOrder(IReadOnlyList<(Guid EntryId, string FanId)> Entries, IReadOnlyDictionary<Guid, int> RankOf);
