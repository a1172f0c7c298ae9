using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Orders;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Orders.Checkout;

// The answers that move a checkout on, one at a time or in batches. Each becomes a step of the checkout, decided by
// the CheckoutRules on the order's current state and committed with the other steps waiting: a redelivered answer
// changes nothing, and an answer for an order that already ended is ignored.

public sealed class SeatsSecuredConsumer(CheckoutProcess checkout, ILogger<SeatsSecuredConsumer> logger) : BatchConsumer<HoldConfirmed>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(HoldConfirmed message, CancellationToken cancellationToken)
    {
        await checkout.AdvanceAsync(new CheckoutStep(message.OrderId, (order, now) => CheckoutRules.SeatsSecured(order, message, now)), cancellationToken);
        return [];
    }
}

public sealed class SeatsRefusedConsumer(CheckoutProcess checkout, ILogger<SeatsRefusedConsumer> logger) : BatchConsumer<HoldRejected>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(HoldRejected message, CancellationToken cancellationToken)
    {
        await checkout.AdvanceAsync(new CheckoutStep(message.OrderId, (order, now) => CheckoutRules.SeatsRefused(order, message, now)), cancellationToken);
        return [];
    }
}

public sealed class MerchReservedConsumer(CheckoutProcess checkout, ILogger<MerchReservedConsumer> logger) : BatchConsumer<StockReserved>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(StockReserved message, CancellationToken cancellationToken)
    {
        await checkout.AdvanceAsync(new CheckoutStep(message.OrderId, (order, now) => CheckoutRules.MerchReserved(order, message, now)), cancellationToken);
        return [];
    }
}

public sealed class MerchRefusedConsumer(CheckoutProcess checkout, ILogger<MerchRefusedConsumer> logger) : BatchConsumer<StockReservationRejected>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(StockReservationRejected message, CancellationToken cancellationToken)
    {
        if (message.Reason != StockRejectionReasons.OrderCancelled)
        {
            await checkout.AdvanceAsync(new CheckoutStep(message.OrderId, (order, now) => CheckoutRules.MerchRefused(order, message, now)), cancellationToken);
        }

        return [];
    }
}

public sealed class InclusionsDrawnConsumer(CheckoutProcess checkout, ILogger<InclusionsDrawnConsumer> logger) : BatchConsumer<StockCommitted>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(StockCommitted message, CancellationToken cancellationToken)
    {
        if (message.Inclusions.Count > 0)
        {
            await checkout.AdvanceAsync(new CheckoutStep(message.OrderId, (order, now) => CheckoutRules.InclusionsDrawn(order, message, now)), cancellationToken);
        }

        return [];
    }
}

/// <summary>
/// A concert was called off (Tickets voids its tickets): every order of its seats still Pending is cancelled and
/// every Confirmed one refunded, <c>concert_cancelled</c>. Orders whose seats were not secured yet need nothing here:
/// Tickets refuses their hold, which cancels them. A redelivery finds them ended and changes nothing.
/// </summary>
public sealed class ConcertCancelledConsumer(ISessionFactory sessions, CheckoutProcess checkout, ILogger<ConcertCancelledConsumer> logger)
    : BatchConsumer<ConcertCancelled>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ConcertCancelled message, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> orderIds;
        await using (var session = sessions.QuerySession())
        {
            orderIds = await session.Query<Order>()
                .Where(order => order.ConcertId == message.ConcertId && (order.Status == OrderStatus.Pending || order.Status == OrderStatus.Confirmed))
                .Select(order => order.Id)
                .ToListAsync(cancellationToken);
        }

        await Task.WhenAll(orderIds.Select(orderId => checkout.AdvanceAsync(
            new CheckoutStep(orderId, (order, now) => CheckoutRules.ConcertCancelled(order, message.ConcertId, now)), cancellationToken)));
        return [];
    }
}
