using System.Runtime.CompilerServices;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.SeatState;

/// <summary>
/// <see cref="ISeatStatusSource"/> over the concerts' seat ledgers: the statuses come from the ledger writer's latest
/// committed view in memory (other instances' changes read at most every half second), made once per view. The
/// statuses live as long as their view: a newer view or a forgotten ledger lets them go.
/// </summary>
public sealed class SeatLedgerStatusSource(SeatLedgers ledgers) : ISeatStatusSource
{
    private readonly ConditionalWeakTable<SeatLedgerView, SeatStatuses> ofView = new();

    public async Task<SeatStatuses?> ReadAsync(SeatState.SeatLayout layout, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(layout.ConcertId, cancellationToken) is not { } ledger)
        {
            return null;
        }

        var view = await ledger.ReadAsync(InventoryApi.SeatMapFreshness, cancellationToken);
        return ofView.GetValue(view, StatusesOf);
    }

    private static SeatStatuses StatusesOf(SeatLedgerView view)
    {
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

        return new SeatStatuses(view.Version, codes, view.SalesStopped);
    }
}
