using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Ticketing.Tickets.Inventory;

/// <summary>A concert's inventory header with its seat ids, as read for every hold.</summary>
public sealed record InventoryView(ConcertInventory Inventory, IReadOnlySet<string> SeatIds, IReadOnlySet<string> Tiers)
{
    public DateTimeOffset SaleOpensAt => Inventory.SaleOpensAt;
    public bool SalesStopped => Inventory.SalesStopped;
    public int TicketLimitPerFan => Inventory.TicketLimitPerFan;
}

/// <summary>
/// Concert inventories cached for a second: the seat map never changes after publishing, so a drop's thousands
/// of holds per second read it from memory. A cancellation is seen within the second, and checkout checks again.
/// </summary>
public sealed class ConcertInventories(IDocumentStore store, IMemoryCache cache)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    public async Task<InventoryView?> GetAsync(Guid concertId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(concertId, out InventoryView? cached))
        {
            return cached;
        }

        await using var session = store.QuerySession();
        var inventory = await session.LoadAsync<ConcertInventory>(concertId, cancellationToken);
        var view = inventory is null
            ? null
            : new InventoryView(
                inventory,
                inventory.Seats().Select(seat => seat.SeatId).ToHashSet(StringComparer.Ordinal),
                inventory.Tiers.Select(tier => tier.Code).ToHashSet(StringComparer.Ordinal));
        cache.Set(concertId, view, Freshness);
        return view;
    }
}
