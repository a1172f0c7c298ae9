using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Orders;

namespace Ticketing.Orders.Checkout;

// The answers that move a checkout on. Each is recorded at most once per order (the order's state says which
// parts are secured), so a redelivered answer changes nothing, and an answer for an order that already ended
// is ignored: Tickets and the Catalog give back on their own what they held for a cancelled order.

public sealed class SeatsSecuredConsumer(CheckoutProcess checkout) : IConsumer<HoldConfirmed>
{
    public Task Consume(ConsumeContext<HoldConfirmed> context) =>
        checkout.AdvanceAsync(context.Message.OrderId, (order, now) => order.SeatsSecured || order.HoldId != context.Message.HoldId
            ? []
            : [new SeatsSecured(order.Id, context.Message.ConcertId, context.Message.Seats, now)], context.CancellationToken);
}

public sealed class SeatsRefusedConsumer(CheckoutProcess checkout) : IConsumer<HoldRejected>
{
    public Task Consume(ConsumeContext<HoldRejected> context) =>
        checkout.AdvanceAsync(context.Message.OrderId, (order, now) => CheckoutProcess.Cancel(
            order,
            context.Message.Reason == HoldRejectionReasons.Expired ? CancellationReasons.HoldExpired : CancellationReasons.HoldInvalid,
            now), context.CancellationToken);
}

public sealed class MerchReservedConsumer(CheckoutProcess checkout) : IConsumer<StockReserved>
{
    public Task Consume(ConsumeContext<StockReserved> context) =>
        checkout.AdvanceAsync(context.Message.OrderId, (order, now) => order.MerchReserved
            ? []
            : [new MerchReserved(order.Id, context.Message.Lines, now)], context.CancellationToken);
}

public sealed class MerchRefusedConsumer(CheckoutProcess checkout) : IConsumer<StockReservationRejected>
{
    public Task Consume(ConsumeContext<StockReservationRejected> context) =>
        context.Message.Reason == StockRejectionReasons.OrderCancelled
            ? Task.CompletedTask // the answer to our own cancellation
            : checkout.AdvanceAsync(context.Message.OrderId, (order, now) => CheckoutProcess.Cancel(
                order,
                context.Message.Reason == StockRejectionReasons.LimitExceeded ? CancellationReasons.LimitExceeded : CancellationReasons.OutOfStock,
                now), context.CancellationToken);
}
