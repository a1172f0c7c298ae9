using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Insights.Recording;

// Each consumer only records the message in the stream it belongs to, under the identity of the fact it reports.
// Numbers are computed by the projections, never here.

/// <summary>Concerts and their seats: one stream per concert.</summary>
public sealed class ConcertEventsConsumer(IntegrationEventRecorder recorder) :
    IConsumer<ConcertPublished>,
    IConsumer<ConcertCancelled>,
    IConsumer<SeatsHeld>,
    IConsumer<SeatsReleased>,
    IConsumer<TicketsIssued>
{
    public Task Consume(ConsumeContext<ConcertPublished> context) =>
        recorder.RecordAsync(context.Message.ConcertId, $"concert-published:{context.Message.ConcertId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<ConcertCancelled> context) =>
        recorder.RecordAsync(context.Message.ConcertId, $"concert-cancelled:{context.Message.ConcertId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<SeatsHeld> context) =>
        recorder.RecordAsync(context.Message.ConcertId, $"seats-held:{context.Message.HoldId}", context.Message, context.CancellationToken);

    // A hold is released once (by the fan, on expiry or with its order), or, once sold, refunded once.
    public Task Consume(ConsumeContext<SeatsReleased> context) =>
        recorder.RecordAsync(context.Message.ConcertId, $"seats-released:{context.Message.HoldId}:{context.Message.Reason}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<TicketsIssued> context) =>
        recorder.RecordAsync(context.Message.ConcertId, $"tickets-issued:{context.Message.HoldId}", context.Message, context.CancellationToken);
}

/// <summary>Products as listed and restocked: one stream per product.</summary>
public sealed class ProductEventsConsumer(IntegrationEventRecorder recorder) :
    IConsumer<ProductPublished>,
    IConsumer<ProductRestocked>
{
    public Task Consume(ConsumeContext<ProductPublished> context) =>
        recorder.RecordAsync(context.Message.ProductId, $"product-published:{context.Message.ProductId}", context.Message, context.CancellationToken);

    // Stock is the new total ever received, so it names the restock.
    public Task Consume(ConsumeContext<ProductRestocked> context) =>
        recorder.RecordAsync(context.Message.ProductId, $"product-restocked:{context.Message.ProductId}:{context.Message.Stock}", context.Message, context.CancellationToken);
}

/// <summary>Orders, their seats and their merch: one stream per order.</summary>
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
        recorder.RecordAsync(context.Message.OrderId, $"order-placed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<OrderConfirmed> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"order-confirmed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    // An order is cancelled once, and a confirmed one refunded once.
    public Task Consume(ConsumeContext<OrderCancelled> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"order-cancelled:{context.Message.OrderId}:{(context.Message.WasConfirmed ? "refund" : "cancel")}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<HoldConfirmed> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"hold-confirmed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockReserved> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"stock-reserved:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockReservationRejected> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"stock-rejected:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockCommitted> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"stock-committed:{context.Message.OrderId}", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<StockReleased> context) =>
        recorder.RecordAsync(context.Message.OrderId, $"stock-released:{context.Message.OrderId}", context.Message, context.CancellationToken);
}
