using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Checkout;

/// <summary>
/// The checkout's rules as pure decisions: an order's state, what happened and the time in; the order's new events
/// out. An order that is no longer Pending takes no answer (duplicates, late answers): Tickets and the Catalog give
/// back on their own what they held for a cancelled order. The payment itself is the one step with I/O: when
/// <see cref="PaymentDue"/> says an order is ready, the process authorizes it and <see cref="Paid"/> decides the
/// outcome.
/// </summary>
public static class CheckoutRules
{
    /// <summary>Tickets checked the hold out for this order: its seats are secured, once.</summary>
    public static IReadOnlyList<object> SeatsSecured(Order order, HoldConfirmed answer, DateTimeOffset now) =>
        order.Status != OrderStatus.Pending || order.SeatsSecured || order.HoldId != answer.HoldId
            ? []
            : [new SeatsSecured(order.Id, answer.ConcertId, answer.Seats, now)];

    /// <summary>Tickets refused the hold: the order is cancelled (expired hold, or one not the fan's to buy).</summary>
    public static IReadOnlyList<object> SeatsRefused(Order order, HoldRejected answer, DateTimeOffset now) =>
        Cancel(order, answer.Reason == HoldRejectionReasons.Expired ? CancellationReasons.HoldExpired : CancellationReasons.HoldInvalid, now);

    /// <summary>The Catalog reserved the merch: its lines and prices join the order, once.</summary>
    public static IReadOnlyList<object> MerchReserved(Order order, StockReserved answer, DateTimeOffset now) =>
        order.Status != OrderStatus.Pending || order.MerchReserved ? [] : [new MerchReserved(order.Id, answer.Lines, now)];

    /// <summary>The Catalog refused the merch: out of stock or over the fan's limit cancels the order.</summary>
    public static IReadOnlyList<object> MerchRefused(Order order, StockReservationRejected answer, DateTimeOffset now) =>
        answer.Reason == StockRejectionReasons.OrderCancelled
            ? [] // the Catalog's answer to our own cancellation
            : Cancel(order, answer.Reason == StockRejectionReasons.LimitExceeded ? CancellationReasons.LimitExceeded : CancellationReasons.OutOfStock, now);

    /// <summary>The Catalog drew the random inclusions of the confirmed order's units: they join the order, once.</summary>
    public static IReadOnlyList<object> InclusionsDrawn(Order order, StockCommitted answer, DateTimeOffset now) =>
        answer.Inclusions.Count == 0 || order.Inclusions.Count > 0
            ? []
            : [new InclusionsDrawn(order.Id, answer.Inclusions.Select(item => new OrderInclusion(item.ProductId, item.Variant, item.Pool, item.Item, item.ItemName)).ToList(), now)];

    /// <summary>A Pending order past its deadline is cancelled <c>timeout</c>.</summary>
    public static IReadOnlyList<object> TimeOut(Order order, DateTimeOffset now) =>
        order.Deadline <= now ? Cancel(order, CancellationReasons.Timeout, now) : [];

    /// <summary>An operator's cancel: a Pending order is cancelled, a Confirmed one refunded; an ended one stays.</summary>
    public static IReadOnlyList<object> CancelByOperator(Order order, DateTimeOffset now) =>
        CancelOrRefund(order, CancellationReasons.CancelledByOperator, CancellationReasons.Refunded, now);

    /// <summary>
    /// The order's concert was called off: a Pending order is cancelled and a Confirmed one refunded in full, both
    /// <c>concert_cancelled</c> (its tickets are void already); an order of another concert, or one that ended, stays.
    /// </summary>
    public static IReadOnlyList<object> ConcertCancelled(Order order, Guid concertId, DateTimeOffset now) =>
        order.ConcertId == concertId
            ? CancelOrRefund(order, CancellationReasons.ConcertCancelled, CancellationReasons.ConcertCancelled, now)
            : [];

    private static IReadOnlyList<object> CancelOrRefund(Order order, string cancelReason, string refundReason, DateTimeOffset now) => order.Status switch
    {
        OrderStatus.Pending => Cancel(order, cancelReason, now),
        OrderStatus.Confirmed => [
            new PaymentRefunded(order.Id, order.Total, order.Currency, now),
            new OrderCancelled(order.Id, order.FanId, order.HoldId, refundReason, WasConfirmed: true, now),
        ],
        _ => [],
    };

    /// <summary>
    /// What the order's payment needs now: nothing (not ready, or already paid), a cancellation (lines in several
    /// currencies cannot be charged at once), or an authorization of its total.
    /// </summary>
    public static PaymentDue? PaymentDue(Order order, DateTimeOffset now)
    {
        if (!order.ReadyToPay)
        {
            return null;
        }

        return order.Lines.Select(line => line.Currency).Distinct().Count() > 1
            ? new PaymentDue(order, null, Cancel(order, CancellationReasons.CurrencyMismatch, now))
            : new PaymentDue(order, new PaymentRequest(order.Id, order.PaymentToken, order.Total, order.Currency), []);
    }

    /// <summary>The authorization's outcome: approved confirms the order, declined cancels it.</summary>
    public static IReadOnlyList<object> Paid(Order order, AuthorizationResult result, DateTimeOffset now) =>
        order.Status != OrderStatus.Pending
            ? []
            : result.Approved
                ? [
                    new PaymentAuthorized(order.Id, result.AuthorizationId!, order.Total, order.Currency, now),
                    new OrderConfirmed(order.Id, order.FanId, order.HoldId, order.Total, order.Currency, now),
                ]
                : [
                    new PaymentDeclined(order.Id, result.DeclineCode ?? "declined", now),
                    new OrderCancelled(order.Id, order.FanId, order.HoldId, CancellationReasons.PaymentDeclined, WasConfirmed: false, now),
                ];

    public static IReadOnlyList<object> Cancel(Order order, string reason, DateTimeOffset now) =>
        order.Status != OrderStatus.Pending ? [] : [new OrderCancelled(order.Id, order.FanId, order.HoldId, reason, WasConfirmed: false, now)];
}

/// <summary>What an order's payment needs: an authorization to make, or events deciding it without one.</summary>
public sealed record PaymentDue(Order Order, PaymentRequest? Authorize, IReadOnlyList<object> Events);

public sealed record PaymentRequest(Guid PaymentKey, string Token, decimal Amount, string Currency);
