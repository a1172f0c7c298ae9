namespace Ticketing.Contracts.Catalog;

/// <summary>
/// Command to the Catalog: reserve every line of an order for a fan, all or nothing. Answered with
/// <see cref="StockReserved"/> or <see cref="StockReservationRejected"/>. Sent again, it is answered again
/// with the first answer and reserves nothing twice.
/// </summary>
public sealed record ReserveStock(Guid OrderId, string FanId, IReadOnlyList<StockLine> Lines);

public sealed record StockLine(Guid ProductId, int Quantity)
{
    /// <summary>The variant's code (album version, size) for a product with variants; null for one without (added later).</summary>
    public string? Variant { get; init; }
}
