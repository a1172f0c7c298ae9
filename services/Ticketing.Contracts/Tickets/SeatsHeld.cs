namespace Ticketing.Contracts.Tickets;

/// <summary>A fan holds these seats until <c>ExpiresAt</c> unless the hold is checked out.</summary>
public sealed record SeatsHeld(Guid HoldId, Guid ConcertId, string FanId, IReadOnlyList<HeldSeat> Seats, DateTimeOffset HeldAt, DateTimeOffset ExpiresAt);
