namespace Ticketing.Contracts.Catalog;

/// <summary>Stock was added to a product; <c>Stock</c> is the new total ever received.</summary>
public sealed record ProductRestocked(Guid ProductId, int Quantity, int Stock, DateTimeOffset RestockedAt);
