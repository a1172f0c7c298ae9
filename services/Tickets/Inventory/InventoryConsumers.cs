using Marten;
using MassTransit;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Tickets.Inventory;

/// <summary>Builds a concert's seat inventory when the Catalog publishes it; a redelivery finds it built.</summary>
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

/// <summary>Stops sales of a cancelled concert; a redelivery finds them stopped.</summary>
public sealed class StopSalesConsumer(IDocumentSession session) : IConsumer<ConcertCancelled>
{
    public async Task Consume(ConsumeContext<ConcertCancelled> context)
    {
        var stream = await session.Events.FetchForWriting<ConcertInventory>(context.Message.ConcertId, context.CancellationToken);
        if (stream.Aggregate is null or { SalesStopped: true })
        {
            return;
        }

        stream.AppendOne(new SalesStopped(context.Message.ConcertId, context.Message.Reason, context.Message.CancelledAt));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}
