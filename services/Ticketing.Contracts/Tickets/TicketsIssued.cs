namespace Ticketing.Contracts.Tickets;

/// <summary>The hold was paid: its seats are sold and one ticket per seat was issued to the fan.</summary>
public sealed record TicketsIssued(Guid OrderId, Guid HoldId, Guid ConcertId, string FanId, IReadOnlyList<IssuedTicket> Tickets, DateTimeOffset IssuedAt);

public sealed record IssuedTicket(Guid TicketId, string SeatId, string Tier, decimal Price, string Currency);
