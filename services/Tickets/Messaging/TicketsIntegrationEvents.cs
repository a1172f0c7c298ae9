using JasperFx.Events;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.SoldOut;
using Integration = Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Messaging;

/// <summary>What the rest of the platform hears of seats and tickets, published through the outbox.</summary>
public sealed class TicketsIntegrationEvents : IIntegrationEventMapper
{
    public IEnumerable<object> ToIntegrationMessages(IEvent domainEvent)
    {
        if (ToIntegrationMessage(domainEvent) is { } message)
        {
            yield return message;
        }
    }

    private static object? ToIntegrationMessage(IEvent domainEvent) => domainEvent.Data switch
    {
        HoldPlaced placed => new Integration.SeatsHeld(placed.HoldId, placed.ConcertId, placed.FanId, placed.Seats, placed.PlacedAt, placed.ExpiresAt),
        HoldReleased released => new Integration.SeatsReleased(released.HoldId, released.ConcertId, released.FanId, released.SeatIds, released.Reason, released.ReleasedAt),
        HoldExpired expired => new Integration.SeatsReleased(expired.HoldId, expired.ConcertId, expired.FanId, expired.SeatIds, "expired", expired.ExpiredAt),
        HoldRefunded refunded => new Integration.SeatsReleased(refunded.HoldId, refunded.ConcertId, refunded.FanId, refunded.SeatIds, "refunded", refunded.RefundedAt),
        HoldSold sold => new Integration.TicketsIssued(
            sold.OrderId,
            sold.HoldId,
            sold.ConcertId,
            sold.FanId,
            sold.Tickets.Select(ticket => new Integration.IssuedTicket(ticket.TicketId, ticket.SeatId, ticket.Tier, ticket.Price, ticket.Currency)).ToList(),
            sold.SoldAt),
        ConcertSoldOut soldOut => new Integration.ConcertSoldOut(soldOut.ConcertId, soldOut.SoldOutAt),
        ConcertSeatsAvailableAgain again => new Integration.ConcertSeatsAvailableAgain(again.ConcertId, again.Available, again.At),
        TicketVoided voided => new Integration.TicketsVoided(voided.ConcertId, [voided.TicketId], voided.Reason, voided.VoidedAt),
        _ => null,
    };
}
