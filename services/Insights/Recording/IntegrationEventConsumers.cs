using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Insights.Recording;

// Each consumer only records the message, under the identity of the fact it reports (which concert, product or order
// it belongs to is the projections' business).
// Numbers are computed by the projections, never here.

/// <summary>Concerts and their seats.</summary>
public sealed class ConcertEventsConsumer(IntegrationEventRecorder recorder) :
    IConsumer<ConcertPublished>,
    IConsumer<ConcertCancelled>,
    IConsumer<SeatsHeld>,
    IConsumer<SeatsReleased>,
    IConsumer<TicketsIssued>
{
    public Task Consume(ConsumeContext<ConcertPublished> context) =>
        recorder.RecordAsync($"concert-published:{context.Message.ConcertId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<ConcertCancelled> context) =>
        recorder.RecordAsync($"concert-cancelled:{context.Message.ConcertId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<SeatsHeld> context) =>
        recorder.RecordAsync($"seats-held:{context.Message.HoldId}", context.Message, context.CancellationToken);

    // A hold is released once (by the fan, on expiry or with its order), or, once sold, refunded once.
    public Task Consume(ConsumeContext<SeatsReleased> context) =>
        recorder.RecordAsync($"seats-released:{context.Message.HoldId}:{context.Message.Reason}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketsIssued> context) =>
        recorder.RecordAsync($"tickets-issued:{context.Message.HoldId}", context.Message, context.CancellationToken);
}

/// <summary>Products as listed and restocked.</summary>
public sealed class ProductEventsConsumer(IntegrationEventRecorder recorder) :
    IConsumer<ProductPublished>,
    IConsumer<ProductRestocked>
{
    public Task Consume(ConsumeContext<ProductPublished> context) =>
        recorder.RecordAsync($"product-published:{context.Message.ProductId}", context.Message, context.CancellationToken);

    // Stock is the new total ever received, so it names the restock.
    public Task Consume(ConsumeContext<ProductRestocked> context) =>
        recorder.RecordAsync($"product-restocked:{context.Message.ProductId}:{context.Message.Stock}", context.Message, context.CancellationToken);
}

/// <summary>Orders, their seats and their merch.</summary>
public sealed class OrderEventsConsumer(IntegrationEventRecorder recorder) :
    IConsumer<OrderPlaced>,
    IConsumer<OrderConfirmed>,
    IConsumer<OrderCancelled>,
    IConsumer<HoldConfirmed>,
    IConsumer<StockReserved>,
    IConsumer<StockReservationRejected>,
    IConsumer<StockCommitted>,
    IConsumer<StockReleased>
{
    public Task Consume(ConsumeContext<OrderPlaced> context) =>
        recorder.RecordAsync($"order-placed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<OrderConfirmed> context) =>
        recorder.RecordAsync($"order-confirmed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    // An order is cancelled once, and a confirmed one refunded once.
    public Task Consume(ConsumeContext<OrderCancelled> context) =>
        recorder.RecordAsync($"order-cancelled:{context.Message.OrderId}:{(context.Message.WasConfirmed ? "refund" : "cancel")}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<HoldConfirmed> context) =>
        recorder.RecordAsync($"hold-confirmed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockReserved> context) =>
        recorder.RecordAsync($"stock-reserved:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockReservationRejected> context) =>
        recorder.RecordAsync($"stock-rejected:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockCommitted> context) =>
        recorder.RecordAsync($"stock-committed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockReleased> context) =>
        recorder.RecordAsync($"stock-released:{context.Message.OrderId}", context.Message, context.CancellationToken);
}
