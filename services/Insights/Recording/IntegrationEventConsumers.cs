using System.Globalization;
using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Insights.Recording;

/// <summary>
/// Records every message of type <typeparamref name="T"/>, alone or in a batch, under the identity of the fact it
/// reports (<see cref="FactKeys"/>). Which concert, product or order it belongs to is the projections' business, and
/// numbers are computed by the projections, never here.
/// </summary>
public sealed class RecordingConsumer<T>(IntegrationEventRecorder recorder, ILogger<RecordingConsumer<T>> logger) : BatchConsumer<T>(logger)
    where T : class
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(T message, CancellationToken cancellationToken)
    {
        await recorder.RecordAsync(FactKeys.Of(message), message, cancellationToken);
        return [];
    }
}

/// <summary>The identity of the fact each message reports: a copy of it, however it came, has the same key.</summary>
public static class FactKeys
{
    public static FactKey Of(object message) => message switch
    {
        ConcertPublished published => new("concert-published", published.ConcertId),
        ConcertCancelled cancelled => new("concert-cancelled", cancelled.ConcertId),
        SeatsHeld held => new("seats-held", held.HoldId),

        // A hold is released once (by the fan, on expiry or with its order), or, once sold, refunded once.
        SeatsReleased released => new("seats-released", released.HoldId, released.Reason),
        TicketsIssued issued => new("tickets-issued", issued.HoldId),
        ProductPublished published => new("product-published", published.ProductId),

        // Stock is the new total ever received, so it names the restock.
        ProductRestocked restocked => new("product-restocked", restocked.ProductId, restocked.Stock.ToString(CultureInfo.InvariantCulture)),
        OrderPlaced placed => new("order-placed", placed.OrderId),
        OrderConfirmed confirmed => new("order-confirmed", confirmed.OrderId),

        // An order is cancelled once, and a confirmed one refunded once.
        OrderCancelled cancelled => new("order-cancelled", cancelled.OrderId, cancelled.WasConfirmed ? "refund" : "cancel"),
        HoldConfirmed confirmed => new("hold-confirmed", confirmed.OrderId),
        StockReserved reserved => new("stock-reserved", reserved.OrderId),
        StockReservationRejected rejected => new("stock-rejected", rejected.OrderId),
        StockCommitted committed => new("stock-committed", committed.OrderId),
        StockReleased released => new("stock-released", released.OrderId),
        _ => throw new ArgumentException($"Insights does not record {message.GetType().Name}", nameof(message)),
    };

    /// <summary>The messages Insights records, by the queue they arrive on.</summary>
    public static readonly IReadOnlyDictionary<string, Type[]> Queues = new Dictionary<string, Type[]>
    {
        ["concert-events"] = [typeof(ConcertPublished), typeof(ConcertCancelled), typeof(SeatsHeld), typeof(SeatsReleased), typeof(TicketsIssued)],
        ["product-events"] = [typeof(ProductPublished), typeof(ProductRestocked)],
        ["order-events"] =
        [
            typeof(OrderPlaced), typeof(OrderConfirmed), typeof(OrderCancelled), typeof(HoldConfirmed),
            typeof(StockReserved), typeof(StockReservationRejected), typeof(StockCommitted), typeof(StockReleased),
        ],
    };

    /// <summary>One <see cref="RecordingConsumer{T}"/> per message type, on the queue of its kind.</summary>
    public static void AddRecordingConsumers(this IBusRegistrationConfigurator bus, string serviceName)
    {
        foreach (var (queue, types) in Queues)
        {
            foreach (var type in types)
            {
                bus.AddConsumer(typeof(RecordingConsumer<>).MakeGenericType(type))
                    .Endpoint(endpoint => endpoint.Name = $"{serviceName}-{queue}");
            }
        }
    }
}
