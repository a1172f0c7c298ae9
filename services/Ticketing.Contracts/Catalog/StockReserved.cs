namespace Ticketing.Contracts.Catalog;

/// <summary>Every line of the order is reserved for the fan until the order is confirmed or cancelled.</summary>
public sealed record StockReserved(Guid OrderId, string FanId, IReadOnlyList<ReservedStockLine> Lines, DateTimeOffset ReservedAt);

/// <summary>
/// A reserved line with the unit price at the time of reservation. For a variant, <c>Sku</c> is the variant's and
/// <c>Name</c> names it ("Album (Version A)"); for a bundle, the price is the bundle's.
/// </summary>
public sealed record ReservedStockLine(Guid ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, string Currency)
{
    /// <summary>The variant's code, or null (added later).</summary>
    public string? Variant { get; init; }
}
