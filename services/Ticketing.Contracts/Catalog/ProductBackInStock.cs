namespace Ticketing.Contracts.Catalog;

/// <summary>A product with a waiting room that was sold out has units to reserve again (cancellations, a restock).</summary>
public sealed record ProductBackInStock(Guid ProductId, int Available, DateTimeOffset At);
