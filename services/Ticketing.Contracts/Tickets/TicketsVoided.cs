namespace Ticketing.Contracts.Tickets;

/// <summary>Tickets no longer admit anyone (refund, or the concert was cancelled).</summary>
public sealed record TicketsVoided(Guid ConcertId, IReadOnlyList<Guid> TicketIds, string Reason, DateTimeOffset VoidedAt);
