using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Orders;

namespace Ticketing.Orders.Checkout;

// The answers that move a checkout on. Each is recorded at most once per order (the order's state says which
// parts are secured), so a redelivered answer changes nothing, and an answer for an order that already ended is
// ignored: Tickets and the Catalog give back on their own what they held for a cancelled order. The consumers
// hand their answer to the checkout, which takes the answers waiting together in one transaction.

public sealed class SeatsSecuredConsumer(CheckoutProcess checkout) : IConsumer<HoldConfirmed>
{
    public Task Consume(ConsumeContext<HoldConfirmed> context)
    {
        var secured = context.Message;
        return checkout.AnswerAsync(
            new CheckoutAnswer(secured.OrderId, (order, now) => order.SeatsSecured || order.HoldId != secured.HoldId
                ? []
                : [new SeatsSecured(order.Id, secured.ConcertId, secured.Seats, now)]),
            context.CancellationToken);
    }
}

public sealed class SeatsRefusedConsumer(CheckoutProcess checkout) : IConsumer<HoldRejected>
{
    public Task Consume(ConsumeContext<HoldRejected> context)
    {
        var reason = context.Message.Reason == HoldRejectionReasons.Expired ? CancellationReasons.HoldExpired : CancellationReasons.HoldInvalid;
        return checkout.AnswerAsync(
            new CheckoutAnswer(context.Message.OrderId, (order, now) => CheckoutProcess.Cancel(order, reason, now)), context.CancellationToken);
    }
}

public sealed class MerchReservedConsumer(CheckoutProcess checkout) : IConsumer<StockReserved>
{
    public Task Consume(ConsumeContext<StockReserved> context)
    {
        var reserved = context.Message;
        return checkout.AnswerAsync(
            new CheckoutAnswer(reserved.OrderId, (order, now) => order.MerchReserved ? [] : [new MerchReserved(order.Id, reserved.Lines, now)]),
            context.CancellationToken);
    }
}

public sealed class MerchRefusedConsumer(CheckoutProcess checkout) : IConsumer<StockReservationRejected>
{
    public Task Consume(ConsumeContext<StockReservationRejected> context)
    {
        if (context.Message.Reason == StockRejectionReasons.OrderCancelled)
        {
            return Task.CompletedTask; // the answer to our own cancellation
        }

        var reason = context.Message.Reason == StockRejectionReasons.LimitExceeded ? CancellationReasons.LimitExceeded : CancellationReasons.OutOfStock;
        return checkout.AnswerAsync(
            new CheckoutAnswer(context.Message.OrderId, (order, now) => CheckoutProcess.Cancel(order, reason, now)), context.CancellationToken);
    }
}
