using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Orders;

namespace Ticketing.Orders.Checkout;

// The answers that move a checkout on, taken in batches. Each is recorded at most once per order (the order's
// state says which parts are secured), so a redelivered answer changes nothing, and an answer for an order that
// already ended is ignored: Tickets and the Catalog give back on their own what they held for a cancelled order.

public sealed class SeatsSecuredConsumer(CheckoutProcess checkout) : IConsumer<Batch<HoldConfirmed>>
{
    public Task Consume(ConsumeContext<Batch<HoldConfirmed>> context) =>
        checkout.AdvanceAsync(context.Message.Select(delivered => delivered.Message).Select(secured => new CheckoutAnswer(
            secured.OrderId,
            (order, now) => order.SeatsSecured || order.HoldId != secured.HoldId
                ? []
                : [new SeatsSecured(order.Id, secured.ConcertId, secured.Seats, now)])).ToList(), context.CancellationToken);
}

public sealed class SeatsRefusedConsumer(CheckoutProcess checkout) : IConsumer<Batch<HoldRejected>>
{
    public Task Consume(ConsumeContext<Batch<HoldRejected>> context) =>
        checkout.AdvanceAsync(context.Message.Select(delivered => delivered.Message).Select(rejected => new CheckoutAnswer(
            rejected.OrderId,
            (order, now) => CheckoutProcess.Cancel(
                order,
                rejected.Reason == HoldRejectionReasons.Expired ? CancellationReasons.HoldExpired : CancellationReasons.HoldInvalid,
                now))).ToList(), context.CancellationToken);
}

public sealed class MerchReservedConsumer(CheckoutProcess checkout) : IConsumer<Batch<StockReserved>>
{
    public Task Consume(ConsumeContext<Batch<StockReserved>> context) =>
        checkout.AdvanceAsync(context.Message.Select(delivered => delivered.Message).Select(reserved => new CheckoutAnswer(
            reserved.OrderId,
            (order, now) => order.MerchReserved ? [] : [new MerchReserved(order.Id, reserved.Lines, now)])).ToList(), context.CancellationToken);
}

public sealed class MerchRefusedConsumer(CheckoutProcess checkout) : IConsumer<Batch<StockReservationRejected>>
{
    public Task Consume(ConsumeContext<Batch<StockReservationRejected>> context) =>
        checkout.AdvanceAsync(context.Message.Select(delivered => delivered.Message)
            .Where(rejected => rejected.Reason != StockRejectionReasons.OrderCancelled) // the answer to our own cancellation
            .Select(rejected => new CheckoutAnswer(
                rejected.OrderId,
                (order, now) => CheckoutProcess.Cancel(
                    order,
                    rejected.Reason == StockRejectionReasons.LimitExceeded ? CancellationReasons.LimitExceeded : CancellationReasons.OutOfStock,
                    now))).ToList(), context.CancellationToken);
}
