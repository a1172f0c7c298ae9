using JasperFx.Events;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.Tickets.Ledger;
using Ticketing.Tickets.SoldOut;
using Integration = Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Messaging;

/// <summary>
/// What the rest of the platform hears of seats and tickets, published through the outbox: one message per hold of a
/// ledger batch (the relay sends a batch's messages of one type together).
/// </summary>
public sealed class TicketsIntegrationEvents : IIntegrationEventMapper
{
    public IEnumerable<object> ToIntegrationMessages(IEvent domainEvent) => domainEvent.Data switch
    {
        HoldsPlaced placed => placed.Holds.Select(hold =>
            new Integration.SeatsHeld(hold.HoldId, placed.ConcertId, hold.FanId, hold.Seats, hold.PlacedAt, hold.ExpiresAt)),
        HoldsReleased released => released.Holds.Select(hold =>
            new Integration.SeatsReleased(hold.HoldId, released.ConcertId, hold.FanId, hold.SeatIds, hold.Reason, hold.ReleasedAt)),
        HoldsSold sold => sold.Holds.Select(hold => new Integration.TicketsIssued(
            hold.OrderId,
            hold.HoldId,
            sold.ConcertId,
            hold.FanId,
            hold.Tickets.Select(ticket => new Integration.IssuedTicket(ticket.TicketId, ticket.SeatId, ticket.Tier, ticket.Price, ticket.Currency)).ToList(),
            hold.SoldAt)),
        HoldsRefunded refunded => refunded.Holds.SelectMany(hold => (IEnumerable<object>)
        [
            new Integration.SeatsReleased(hold.HoldId, refunded.ConcertId, hold.FanId, hold.SeatIds, "refunded", hold.RefundedAt),
            new Integration.TicketsVoided(refunded.ConcertId, hold.TicketIds, "refunded", hold.RefundedAt),
        ]),
        ConcertSalesStopped { VoidedTicketIds.Count: > 0 } stopped => [new Integration.TicketsVoided(stopped.ConcertId, stopped.VoidedTicketIds, stopped.Reason, stopped.StoppedAt)],
        ConcertSoldOut soldOut => [new Integration.ConcertSoldOut(soldOut.ConcertId, soldOut.SoldOutAt)],
        ConcertSeatsAvailableAgain again => [new Integration.ConcertSeatsAvailableAgain(again.ConcertId, again.Available, again.At)],
        _ => [],
    };
}
