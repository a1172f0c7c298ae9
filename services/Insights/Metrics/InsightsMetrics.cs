using System.Diagnostics.Metrics;
using Ticketing.Insights.Overview;

namespace Ticketing.Insights.Metrics;

/// <summary>
/// The dashboard's key numbers as OpenTelemetry metrics (meter <c>Ticketing.Insights</c>), for a Prometheus or
/// Grafana already in use: exported like every service's (OTLP, and <c>/metrics</c> of this service). Values come from
/// the live feed's latest overview: totals of the whole platform as the read models recorded them, durable across
/// restarts, named <c>ticketing.sales.*</c> so that they never mix with the live instruments of the services that own
/// the facts (<c>ticketing.orders.*</c> of Orders, <c>ticketing.seats.*</c> of Tickets, <c>ticketing.stock.*</c> of the Catalog).
/// </summary>
public sealed class InsightsMetrics
{
    public const string MeterName = "Ticketing.Insights";

    private readonly Counter<long> recorded;
    private readonly Counter<long> duplicates;
    private long duplicatesIgnored;

    public InsightsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        recorded = meter.CreateCounter<long>("ticketing.insights.events.recorded", "{event}", "Integration events recorded as Insights events.");
        duplicates = meter.CreateCounter<long>("ticketing.insights.events.duplicates", "{event}", "Integration events received again and ignored.");

        meter.CreateObservableCounter("ticketing.sales.orders.placed", () => Overview?.Orders.Placed ?? 0, "{order}", "Orders placed.");
        meter.CreateObservableCounter("ticketing.sales.orders.confirmed", () => Overview?.Orders.Confirmed ?? 0, "{order}", "Orders paid and confirmed.");
        meter.CreateObservableCounter("ticketing.sales.orders.cancelled", CancelledByReason, "{order}", "Orders cancelled or refunded, by reason.");
        meter.CreateObservableGauge("ticketing.sales.orders.pending", () => Overview?.Orders.Pending ?? 0, "{order}", "Orders waiting for payment, seats or stock.");
        meter.CreateObservableGauge("ticketing.sales.orders.stuck", () => Overview?.StuckOrders.Count ?? 0, "{order}", "Orders pending for longer than the checkout time-out.");
        meter.CreateObservableCounter("ticketing.sales.payments.declined", () => Overview?.Payments.Declined ?? 0, "{payment}", "Card payments declined.");
        meter.CreateObservableGauge("ticketing.sales.payments.decline_ratio", () => Overview?.Payments.DeclineRate ?? 0, "1", "Declined share of the payments tried.");
        meter.CreateObservableGauge("ticketing.sales.revenue", Revenue, "{currency}", "Revenue of sold seats and merch, refunds taken off, by currency.");
        meter.CreateObservableGauge("ticketing.sales.seats.sold", () => PerConcert(c => c.Sold), "{seat}", "Seats sold, by concert.");
        meter.CreateObservableGauge("ticketing.sales.seats.held", () => PerConcert(c => c.Held), "{seat}", "Seats held, by concert.");
        meter.CreateObservableGauge("ticketing.sales.seats.available", () => PerConcert(c => c.Available), "{seat}", "Seats still on sale, by concert.");
        meter.CreateObservableGauge("ticketing.sales.stock.available", () => PerProduct(p => p.Available), "{item}", "Merch on sale, by product.");
        meter.CreateObservableGauge("ticketing.sales.stock.sold", () => PerProduct(p => p.Sold), "{item}", "Merch sold, by product.");
    }

    /// <summary>The overview the observable instruments report (set by the live feed).</summary>
    public OverviewResponse? Overview { get; set; }

    /// <summary>Duplicates ignored by this process since it started.</summary>
    public long DuplicatesIgnored => Interlocked.Read(ref duplicatesIgnored);

    public void Recorded(string messageType) => recorded.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    public void DuplicateIgnored(string messageType)
    {
        Interlocked.Increment(ref duplicatesIgnored);
        duplicates.Add(1, new KeyValuePair<string, object?>("message_type", messageType));
    }

    private IEnumerable<Measurement<long>> CancelledByReason() =>
        (Overview?.Orders.CancelledByReason ?? new Dictionary<string, int>())
        .Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("reason", pair.Key)));

    private IEnumerable<Measurement<double>> Revenue() =>
        (Overview?.Revenue ?? []).Select(amount => new Measurement<double>((double)amount.Value, new KeyValuePair<string, object?>("currency", amount.Currency)));

    private IEnumerable<Measurement<long>> PerConcert(Func<ConcertSummary, int> value) =>
        (Overview?.Concerts ?? []).Select(concert => new Measurement<long>(value(concert),
            new KeyValuePair<string, object?>("concert_id", concert.ConcertId),
            new KeyValuePair<string, object?>("concert", $"{concert.Artist} — {concert.Title}")));

    private IEnumerable<Measurement<long>> PerProduct(Func<ProductSummary, int> value) =>
        (Overview?.Products ?? []).Select(product => new Measurement<long>(value(product),
            new KeyValuePair<string, object?>("sku", product.Sku)));
}
