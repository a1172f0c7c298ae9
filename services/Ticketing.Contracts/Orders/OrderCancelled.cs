namespace Ticketing.Contracts.Orders;

/// <summary>
/// An order ended without a sale, or a confirmed one was refunded (<c>WasConfirmed</c>): what it held, reserved
/// or sold goes back. <c>Reason</c> is one of <see cref="OrderCancellationReasons"/>.
/// </summary>
public sealed record OrderCancelled(Guid OrderId, string FanId, Guid? HoldId, string Reason, bool WasConfirmed, DateTimeOffset CancelledAt);

public static class OrderCancellationReasons
{
    public const string PaymentDeclined = "payment_declined";
    public const string OutOfStock = "out_of_stock";
    public const string LimitExceeded = "limit_exceeded";
    public const string HoldExpired = "hold_expired";
    public const string HoldInvalid = "hold_invalid";
    public const string Timeout = "timeout";
    public const string Refunded = "refunded";
    public const string CancelledByOperator = "cancelled_by_operator";
    public const string CurrencyMismatch = "currency_mismatch";

    /// <summary>The concert was called off: a pending order is cancelled, a confirmed one refunded in full.</summary>
    public const string ConcertCancelled = "concert_cancelled";
}
