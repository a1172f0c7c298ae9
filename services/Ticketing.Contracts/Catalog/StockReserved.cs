namespace Ticketing.Contracts.Catalog;

/// <summary>Every line of the order is reserved for the fan until the order is confirmed or cancelled.</summary>
public sealed record StockReserved(Guid OrderId, string FanId, IReadOnlyList<ReservedStockLine> Lines, DateTimeOffset ReservedAt);

/// <summary>A reserved line with the unit price at the time of reservation.</summary>
public sealed record ReservedStockLine(Guid ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, string Currency);
