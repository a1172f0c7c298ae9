namespace Ticketing.Contracts.Catalog;

/// <summary>The order was confirmed: its reserved stock is now sold.</summary>
public sealed record StockCommitted(Guid OrderId, IReadOnlyList<StockLine> Lines, DateTimeOffset CommittedAt)
{
    /// <summary>The order's fan (added later: empty from older publishers).</summary>
    public string FanId { get; init; } = "";

    /// <summary>
    /// The random inclusions drawn for the sold units (one per unit of a product with a pool, e.g. a photocard per
    /// album), drawn from what was left of the pool (added later: empty from older publishers).
    /// </summary>
    public IReadOnlyList<DrawnInclusion> Inclusions { get; init; } = [];
}

/// <summary>One random item drawn for one sold unit: the pool it came from ("Photocard") and the item ("Mina").</summary>
public sealed record DrawnInclusion(Guid ProductId, string? Variant, string Pool, string Item, string ItemName);
