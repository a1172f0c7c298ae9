using Marten;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Checkout;

/// <summary>
/// The checkout process manager. The order's stream is its state: each answer from Tickets or the Catalog is
/// appended to it at the version it was read at (two answers racing for one order: the loser is retried by
/// the bus on fresh state). When everything the order needs is held for it, the payment is authorized —
/// idempotently per order, so a retry never charges twice — and the order is confirmed or cancelled in the
/// same transaction. Confirmations and cancellations leave through the outbox to Tickets and the Catalog,
/// which sell or give back what they held.
/// </summary>
public sealed class CheckoutProcess(ISessionFactory sessions, IPaymentProcessor payments, TimeProvider time)
{
    /// <summary>Appends what <paramref name="decide"/> says to a Pending order, then pays if it is ready. Late or
    /// duplicate answers for an order that is no longer Pending change nothing.</summary>
    public async Task AdvanceAsync(Guid orderId, Func<Order, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var stream = await session.Events.FetchForWriting<Order>(orderId, cancellationToken);
        if (stream.Aggregate is not { Status: OrderStatus.Pending } order)
        {
            return;
        }

        var now = time.GetUtcNow();
        var events = decide(order, now).ToList();
        if (events.Count == 0)
        {
            return;
        }

        order = events.Aggregate(order, (state, @event) => state.Apply(@event));
        if (order.ReadyToPay)
        {
            events.AddRange(await PayAsync(order, now, cancellationToken));
        }

        stream.AppendMany(events);
        await session.SaveChangesAsync(cancellationToken);

        // A time-out may end an order whose earlier attempt authorized the card and then failed to save: void it.
        // Other cancellations cannot follow an authorization (a refused part means the order was never ready to
        // pay; a declined or mismatched payment authorized nothing), so they do not call the processor at all.
        if (events.OfType<OrderCancelled>().Any(cancelled => cancelled.Reason == CancellationReasons.Timeout))
        {
            await payments.VoidAsync(orderId, cancellationToken);
        }
    }

    /// <summary>The operator's cancel: a confirmed order is refunded, a pending one cancelled.</summary>
    public async Task<Order?> CancelByOperatorAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var stream = await session.Events.FetchForWriting<Order>(orderId, cancellationToken);
        if (stream.Aggregate is not { } order)
        {
            return null;
        }

        var now = time.GetUtcNow();
        switch (order.Status)
        {
            case OrderStatus.Confirmed:
                await payments.RefundAsync(orderId, cancellationToken);
                stream.AppendMany(
                    new PaymentRefunded(orderId, order.Total, order.Currency, now),
                    new OrderCancelled(orderId, order.FanId, order.HoldId, CancellationReasons.Refunded, WasConfirmed: true, now));
                break;
            case OrderStatus.Pending:
                stream.AppendOne(new OrderCancelled(orderId, order.FanId, order.HoldId, CancellationReasons.CancelledByOperator, WasConfirmed: false, now));
                break;
            default:
                return order;
        }

        await session.SaveChangesAsync(cancellationToken);
        if (order.Status == OrderStatus.Pending)
        {
            await payments.VoidAsync(orderId, cancellationToken);
        }

        return (await session.LoadAsync<Order>(orderId, cancellationToken))!;
    }

    public static IReadOnlyList<object> Cancel(Order order, string reason, DateTimeOffset now) =>
        [new OrderCancelled(order.Id, order.FanId, order.HoldId, reason, WasConfirmed: false, now)];

    private async Task<IReadOnlyList<object>> PayAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order.Lines.Select(line => line.Currency).Distinct().Count() > 1)
        {
            return Cancel(order, CancellationReasons.CurrencyMismatch, now);
        }

        var result = await payments.AuthorizeAsync(order.Id, order.PaymentToken, order.Total, order.Currency, cancellationToken);
        return result.Approved
            ? [
                new PaymentAuthorized(order.Id, result.AuthorizationId!, order.Total, order.Currency, now),
                new OrderConfirmed(order.Id, order.FanId, order.HoldId, order.Total, order.Currency, now),
            ]
            : [
                new PaymentDeclined(order.Id, result.DeclineCode ?? "declined", now),
                new OrderCancelled(order.Id, order.FanId, order.HoldId, CancellationReasons.PaymentDeclined, WasConfirmed: false, now),
            ];
    }
}
