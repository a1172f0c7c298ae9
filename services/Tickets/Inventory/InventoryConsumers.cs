using Marten;
using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Inventory;

/// <summary>
/// Builds a concert's inventory when the Catalog publishes it: the seat map, tiers, prices and sale window, every seat
/// available (its seat ledger starts empty). A redelivery finds the inventory built and does nothing.
/// </summary>
public sealed class OpenInventoryConsumer(IDocumentSession session, TimeProvider time) : IConsumer<ConcertPublished>
{
    public async Task Consume(ConsumeContext<ConcertPublished> context)
    {
        var concert = context.Message;
        var stream = await session.Events.FetchForWriting<ConcertInventory>(concert.ConcertId, context.CancellationToken);
        if (stream.Aggregate is not null)
        {
            return;
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
            time.GetUtcNow()));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Stops sales of a cancelled concert and voids its tickets, in its seat ledger; a redelivery finds it done.</summary>
public sealed class StopSalesConsumer(SeatLedgers ledgers) : IConsumer<ConcertCancelled>
{
    public async Task Consume(ConsumeContext<ConcertCancelled> context)
    {
        if (await ledgers.GetAsync(context.Message.ConcertId, context.CancellationToken) is { } ledger)
        {
            await ledger.DecideAsync(new StopSales("concert_cancelled"), context.CancellationToken);
        }
    }
}
