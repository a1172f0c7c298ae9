namespace Ticketing.Contracts.Catalog;

/// <summary>A published concert was called off: sales stop and issued tickets are void.</summary>
public sealed record ConcertCancelled(Guid ConcertId, string Reason, DateTimeOffset CancelledAt);
