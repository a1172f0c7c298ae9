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

/// <summary>A line as the fan bought it: a product (a variant of it, or a bundle) at its price.</summary>
public sealed record StockReservationLine(Guid ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, string Currency, string? Variant = null);

/// <summary>Units taken from one product's stream (a variant's, when set): the lines themselves, and a bundle's parts.</summary>
public sealed record StockMove(Guid ProductId, string? Variant, int Quantity);

/// <summary>An item of a random-inclusion pool drawn for one sold unit of the order.</summary>
public sealed record DrawnItem(Guid ProductId, string? Variant, string Pool, string Item, string ItemName);

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

    /// <summary>Every unit taken from a product's stock for the lines (a bundle's parts included). Empty in records older than bundles: then the lines.</summary>
    public IReadOnlyList<StockMove> Moves { get; init; } = [];

    /// <summary>The random inclusions drawn when the order was sold; they go back to their pools if it is refunded.</summary>
    public IReadOnlyList<DrawnItem> Drawn { get; init; } = [];
    public string? RejectionReason { get; init; }
    public Guid? RejectedProductId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<StockMove> Units => Moves.Count > 0 ? Moves : Lines.Select(line => new StockMove(line.ProductId, line.Variant, line.Quantity)).ToList();

    public IReadOnlyList<StockLine> StockLines => Lines.Select(line => new StockLine(line.ProductId, line.Quantity) { Variant = line.Variant }).ToList();

    public IReadOnlyList<ReservedStockLine> PricedLines =>
        Lines.Select(line => new ReservedStockLine(line.ProductId, line.Sku, line.Name, line.Quantity, line.UnitPrice, line.Currency) { Variant = line.Variant }).ToList();

    public IReadOnlyList<DrawnInclusion> Inclusions =>
        Drawn.Select(item => new DrawnInclusion(item.ProductId, item.Variant, item.Pool, item.Item, item.ItemName)).ToList();
}

/// <summary>Units of one product held or bought by one fan, summed over all their orders (for the per-fan limit).</summary>
public sealed record FanProductCount(string Id, int Quantity)
{
    public static string IdFor(Guid productId, string fanId) => $"{productId:N}/{fanId}";

    /// <summary>The count of one variant (for a limit per variant).</summary>
    public static string IdFor(Guid productId, string? variant, string fanId) => variant is null ? IdFor(productId, fanId) : $"{productId:N}:{variant}/{fanId}";
}
