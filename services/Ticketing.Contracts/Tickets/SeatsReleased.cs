namespace Ticketing.Contracts.Tickets;

/// <summary>
/// Held seats are available again. <c>Reason</c>: <c>released</c> (by the fan), <c>expired</c>,
/// <c>order_cancelled</c>, or <c>refunded</c> (sold seats returned, their tickets void).
/// </summary>
public sealed record SeatsReleased(Guid HoldId, Guid ConcertId, string FanId, IReadOnlyList<string> SeatIds, string Reason, DateTimeOffset ReleasedAt);
