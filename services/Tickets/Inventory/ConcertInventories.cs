using System.Collections.Concurrent;
using System.Collections.Frozen;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.ServiceDefaults.Caching;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Inventory;

/// <summary>A concert's inventory header with its seat ids, as read for every hold.</summary>
public sealed record InventoryView(ConcertInventory Inventory, IReadOnlyDictionary<string, Guid> RowOfSeat, IReadOnlySet<string> Tiers)
{
    public bool HasSeat(string seatId) => RowOfSeat.ContainsKey(seatId);

    public DateTimeOffset SaleOpensAt => Inventory.SaleOpensAt;
    public bool SalesStopped => Inventory.SalesStopped;
    public int TicketLimitPerFan => Inventory.TicketLimitPerFan;
    public bool HasWaitingRoom => Inventory.HasWaitingRoom;
}

/// <summary>
/// Concert inventories cached for a second: the seat map never changes after publishing, so a drop's thousands
/// of holds per second read it from memory, and the seat-id set of a concert is built once, not at each refresh.
/// A cancellation is seen within the second, and checkout checks again.
/// </summary>
public sealed class ConcertInventories(IDocumentStore store, IMemoryCache cache)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, InventoryView> built = new();

    public async Task<InventoryView?> GetAsync(Guid concertId, CancellationToken cancellationToken)
    {
        var key = ("inventory", concertId);
        var view = await cache.GetOrLoadAsync(key, Freshness, token => LoadAsync(concertId, token), cancellationToken);
        if (view is null)
        {
            // A miss is not kept: the inventory may be built a moment later (by this or another instance), and a
            // fan must not get 404 for a second after it is. Requests arriving together still share one read.
            cache.Remove(key);
        }

        return view;
    }

    private async Task<InventoryView?> LoadAsync(Guid concertId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var inventory = await session.LoadAsync<ConcertInventory>(concertId, cancellationToken);
        if (inventory is null)
        {
            return null;
        }

        if (built.TryGetValue(concertId, out var previous) && previous.Inventory.Version == inventory.Version)
        {
            return previous;
        }

        var view = new InventoryView(
            inventory,
            inventory.Seats().ToFrozenDictionary(seat => seat.SeatId, seat => StreamKeys.Row(concertId, seat.Section.Code, seat.Row.Label), StringComparer.Ordinal),
            inventory.Tiers.Select(tier => tier.Code).ToFrozenSet(StringComparer.Ordinal));
        built[concertId] = view;
        return view;
    }
}
