using System.Collections.Concurrent;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.SeatState;

/// <summary>
/// <see cref="ISeatStatusSource"/> over the concerts' seat ledgers: the statuses come from the ledger writer's latest
/// committed view in memory (other instances' changes read at most every half second), and a new array is made only
/// when the ledger's version moved.
/// </summary>
public sealed class SeatLedgerStatusSource(SeatLedgers ledgers) : ISeatStatusSource
{
    private readonly ConcurrentDictionary<Guid, SeatStatuses> latest = new();

    public async Task<SeatStatuses?> ReadAsync(SeatState.SeatLayout layout, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(layout.ConcertId, cancellationToken) is not { } ledger)
        {
            return null;
        }

        var view = await ledger.ReadAsync(InventoryApi.SeatMapFreshness, cancellationToken);
        if (latest.TryGetValue(layout.ConcertId, out var known) && known.Version == view.Version && known.SalesStopped == view.SalesStopped)
        {
            return known;
        }

        var codes = new byte[view.Statuses.Length];
        for (var seat = 0; seat < codes.Length; seat++)
        {
            codes[seat] = view.Statuses[seat] switch
            {
                SeatStatus.Held => SeatCodes.Held,
                SeatStatus.Sold => SeatCodes.Sold,
                _ => SeatCodes.Available,
            };
        }

        var statuses = new SeatStatuses(view.Version, codes, view.SalesStopped);
        latest[layout.ConcertId] = statuses;
        return statuses;
    }
}
