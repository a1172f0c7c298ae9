using System.Diagnostics.Metrics;
using Ticketing.Orders.Orders;
using Ticketing.ServiceDefaults.Telemetry;

namespace Ticketing.Orders.Checkout;

/// <summary>
/// Orders as operators follow them on drop day (meter <c>Ticketing.Orders</c>): orders placed per second and the time a
/// checkout request takes, orders confirmed and cancelled (by reason: <c>payment_declined</c>, <c>out_of_stock</c>,
/// <c>hold_expired</c>, <c>timeout</c>...), and the time from placing an order to its final answer.
/// </summary>
public sealed class CheckoutMetrics
{
    public const string MeterName = "Ticketing.Orders";

    private readonly Counter<long> placed;
    private readonly Counter<long> confirmed;
    private readonly Counter<long> cancelled;
    private readonly RequestTiming placement;
    private readonly Histogram<double> checkout;

    public CheckoutMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        placed = meter.CreateCounter<long>("ticketing.orders.placed", "{order}", "Orders placed, by what they buy (seats, merch, seats_and_merch).");
        confirmed = meter.CreateCounter<long>("ticketing.orders.confirmed", "{order}", "Orders paid and confirmed.");
        cancelled = meter.CreateCounter<long>("ticketing.orders.cancelled", "{order}", "Orders cancelled or refunded, by reason.");
        placement = new RequestTiming(
            meter,
            "ticketing.orders.placement.duration",
            "Time to answer a checkout request (202 Pending, or a refusal), by outcome.",
            result => RequestTiming.Succeeded(result) ? "accepted" : "refused");
        checkout = meter.CreateHistogram(
            "ticketing.orders.checkout.duration", "s", "Time from an order's placement to its confirmation or cancellation, by status.",
            advice: MetricBuckets.Process);
    }

    /// <summary>Counts orders committed by one placement group.</summary>
    public void Placed(IEnumerable<OrderPlaced> orders)
    {
        foreach (var order in orders)
        {
            placed.Add(1, new KeyValuePair<string, object?>("kind", (order.HoldId is not null, order.Items.Count > 0) switch
            {
                (true, true) => "seats_and_merch",
                (true, false) => "seats",
                _ => "merch",
            }));
        }
    }

    /// <summary>Counts the confirmations and cancellations a committed checkout group appended.</summary>
    public void Decided(IReadOnlyDictionary<Guid, List<object>> appended, IReadOnlyDictionary<Guid, Order> orders)
    {
        foreach (var (orderId, events) in appended)
        {
            foreach (var @event in events)
            {
                switch (@event)
                {
                    case OrderConfirmed done:
                        confirmed.Add(1);
                        Finished(orders, orderId, done.ConfirmedAt, "confirmed");
                        break;
                    case OrderCancelled ended:
                        cancelled.Add(1, new KeyValuePair<string, object?>("reason", ended.Reason));
                        if (!ended.WasConfirmed)
                        {
                            Finished(orders, orderId, ended.CancelledAt, "cancelled");
                        }

                        break;
                }
            }
        }
    }

    /// <summary>An endpoint filter timing the checkout request, tagged with its outcome (accepted, refused).</summary>
    public ValueTask<object?> TimeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) => placement.TimeAsync(context, next);

    private void Finished(IReadOnlyDictionary<Guid, Order> orders, Guid orderId, DateTimeOffset at, string status)
    {
        if (orders.TryGetValue(orderId, out var order))
        {
            checkout.Record(Math.Max(0, (at - order.CreatedAt).TotalSeconds), new KeyValuePair<string, object?>("status", status));
        }
    }
}
