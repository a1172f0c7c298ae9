namespace Ticketing.Contracts.Catalog;

/// <summary>
/// A product with a waiting room has no unit left to reserve (every unit reserved or sold). Reserved units may come
/// back (a cancelled order, a restock): then <see cref="ProductBackInStock"/> follows.
/// </summary>
public sealed record ProductSoldOut(Guid ProductId, DateTimeOffset SoldOutAt);
