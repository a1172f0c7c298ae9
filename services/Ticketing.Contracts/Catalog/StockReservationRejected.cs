namespace Ticketing.Contracts.Catalog;

/// <summary>
/// Nothing of the order was reserved. <c>Reason</c> is one of <see cref="StockRejectionReasons"/>;
/// <c>ProductId</c> names the line that failed.
/// </summary>
public sealed record StockReservationRejected(Guid OrderId, string FanId, string Reason, Guid? ProductId, DateTimeOffset RejectedAt);

public static class StockRejectionReasons
{
    public const string OutOfStock = "out_of_stock";
    public const string NotReleased = "not_released";
    public const string LimitExceeded = "limit_exceeded";
    public const string UnknownProduct = "unknown_product";
    public const string UnknownVariant = "unknown_variant";
    public const string InvalidRequest = "invalid_request";
    public const string OrderCancelled = "order_cancelled";
}
