using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Inventory;

/// <summary>
/// Builds a concert's inventory when the Catalog publishes it: the seat map, tiers, prices and sale window, every seat
/// available (its seat ledger starts empty). A redelivery finds the inventory built and does nothing.
/// </summary>
public sealed class OpenInventoryConsumer(ISessionFactory sessions, TimeProvider time, ILogger<OpenInventoryConsumer> logger) : BatchConsumer<ConcertPublished>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ConcertPublished concert, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var stream = await session.Events.FetchForWriting<ConcertInventory>(concert.ConcertId, cancellationToken);
        if (stream.Aggregate is not null)
        {
            return [];
        }

        stream.AppendOne(new InventoryOpened(
            concert.ConcertId,
            concert.Artist,
            concert.Title,
            concert.StartsAt,
            concert.SaleOpensAt,
            concert.TicketLimitPerFan,
            concert.PriceTiers.Select(tier => new TierPrice(tier.Code, tier.Name, tier.Price, tier.Currency)).ToList(),
            concert.Sections.Select(section => new InventorySection(
                section.Code, section.Tier, section.Rows.Select(row => new InventoryRow(row.Label, row.Seats)).ToList())).ToList(),
            time.GetUtcNow(),
            HasWaitingRoom: concert.WaitingRoom is not null));
        await session.SaveChangesAsync(cancellationToken);
        return [];
    }
}

/// <summary>Stops sales of a cancelled concert and voids its tickets, in its seat ledger; a redelivery finds it done.</summary>
public sealed class StopSalesConsumer(SeatLedgers ledgers, ILogger<StopSalesConsumer> logger) : BatchConsumer<ConcertCancelled>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ConcertCancelled cancelled, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(cancelled.ConcertId, cancellationToken) is { } ledger)
        {
            await ledger.DecideAsync(new StopSales("concert_cancelled"), cancellationToken);
        }

        return [];
    }
}
