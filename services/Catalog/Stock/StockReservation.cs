using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Stock;

public enum StockReservationStatus
{
    Reserved,
    Rejected,
    Sold,
    Released,
    Returned,

    /// <summary>The order was cancelled before its reservation arrived: a late request must reserve nothing.</summary>
    Voided,
}

public sealed record StockReservationLine(Guid ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, string Currency);

/// <summary>
/// The Catalog's record of one order's reservation, written in the same transaction as the product events.
/// It makes every stock message idempotent: a redelivered request is answered from here and changes nothing.
/// </summary>
public sealed record StockReservation
{
    /// <summary>The order id.</summary>
    public Guid Id { get; init; }
    public required string FanId { get; init; }
    public StockReservationStatus Status { get; init; }
    public IReadOnlyList<StockReservationLine> Lines { get; init; } = [];
    public string? RejectionReason { get; init; }
    public Guid? RejectedProductId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<StockLine> StockLines => Lines.Select(line => new StockLine(line.ProductId, line.Quantity)).ToList();

    public IReadOnlyList<ReservedStockLine> PricedLines =>
        Lines.Select(line => new ReservedStockLine(line.ProductId, line.Sku, line.Name, line.Quantity, line.UnitPrice, line.Currency)).ToList();
}

/// <summary>Units of one product held or bought by one fan, summed over all their orders (for the per-fan limit).</summary>
public sealed record FanProductCount(string Id, int Quantity)
{
    public static string IdFor(Guid productId, string fanId) => $"{productId:N}/{fanId}";
}
