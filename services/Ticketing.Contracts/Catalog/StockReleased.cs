namespace Ticketing.Contracts.Catalog;

/// <summary>
/// Stock of an order went back on sale: a reservation released (order cancelled) or, when <c>WasSold</c>,
/// sold stock returned by a refund.
/// </summary>
public sealed record StockReleased(Guid OrderId, IReadOnlyList<StockLine> Lines, bool WasSold, DateTimeOffset ReleasedAt)
{
    /// <summary>The same lines with the unit price they were reserved at (added later: empty from older publishers).</summary>
    public IReadOnlyList<ReservedStockLine> PricedLines { get; init; } = [];
}
