using Marten;
using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Seats;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Inventory;

/// <summary>
/// Builds a concert's inventory when the Catalog publishes it: the concert's stream and one stream per row of seats,
/// every seat available, in one transaction. A redelivery finds the inventory built and does nothing.
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

        var opened = new InventoryOpened(
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
            HasWaitingRoom: concert.WaitingRoom is not null);
        stream.AppendOne(opened);

        var tiers = opened.Tiers.ToDictionary(tier => tier.Code);
        foreach (var (section, sectionIndex) in opened.Sections.Select((section, index) => (section, index)))
        {
            var tier = tiers[section.Tier];
            foreach (var (row, rowIndex) in section.Rows.Select((row, index) => (row, index)))
            {
                var key = StreamKeys.Row(concert.ConcertId, section.Code, row.Label);
                session.Events.StartStream<Seats.SeatRow>(key, new RowOpened(
                    key, concert.ConcertId, section.Code, row.Label, sectionIndex, rowIndex, tier.Code, tier.Price, tier.Currency, row.Seats));
            }
        }

        await session.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Stops sales of a cancelled concert and voids its tickets; a redelivery finds it done.</summary>
public sealed class StopSalesConsumer(IDocumentSession session) : IConsumer<ConcertCancelled>
{
    public async Task Consume(ConsumeContext<ConcertCancelled> context)
    {
        var cancelled = context.Message;
        var stream = await session.Events.FetchForWriting<ConcertInventory>(cancelled.ConcertId, context.CancellationToken);
        if (stream.Aggregate is null)
        {
            return;
        }

        if (!stream.Aggregate.SalesStopped)
        {
            stream.AppendOne(new SalesStopped(cancelled.ConcertId, cancelled.Reason, cancelled.CancelledAt));
        }

        var valid = await session.Query<Ticket>()
            .Where(ticket => ticket.ConcertId == cancelled.ConcertId && ticket.Status != TicketStatus.Voided)
            .Select(ticket => ticket.Id)
            .ToListAsync(context.CancellationToken);
        foreach (var ticketId in valid)
        {
            session.Events.Append(ticketId, new TicketVoided(ticketId, cancelled.ConcertId, "concert_cancelled", cancelled.CancelledAt));
        }

        await session.SaveChangesAsync(context.CancellationToken);
    }
}
