namespace Ticketing.Contracts.Catalog;

/// <summary>The order was confirmed: its reserved stock is now sold.</summary>
public sealed record StockCommitted(Guid OrderId, IReadOnlyList<StockLine> Lines, DateTimeOffset CommittedAt);
