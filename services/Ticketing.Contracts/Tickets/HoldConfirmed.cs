namespace Ticketing.Contracts.Tickets;

/// <summary>The hold is the order's and will not expire while it is paid; carries the seats and their prices.</summary>
public sealed record HoldConfirmed(Guid OrderId, Guid HoldId, string FanId, Guid ConcertId, IReadOnlyList<HeldSeat> Seats, DateTimeOffset ConfirmedAt);

public sealed record HeldSeat(string SeatId, string Tier, decimal Price, string Currency);
