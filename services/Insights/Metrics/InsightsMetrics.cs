using System.Diagnostics.Metrics;
using Ticketing.Insights.Overview;

namespace Ticketing.Insights.Metrics;

/// <summary>
/// The dashboard's key numbers as OpenTelemetry metrics (meter <c>Ticketing.Insights</c>), for a Prometheus or
/// Grafana already in use: exported over OTLP like every service's, and scraped from <c>/metrics</c> of this service.
/// Values come from the live feed's latest overview.
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

        meter.CreateObservableCounter("ticketing.orders.placed", () => Overview?.Orders.Placed ?? 0, "{order}", "Orders placed.");
        meter.CreateObservableCounter("ticketing.orders.confirmed", () => Overview?.Orders.Confirmed ?? 0, "{order}", "Orders paid and confirmed.");
        meter.CreateObservableCounter("ticketing.orders.cancelled", CancelledByReason, "{order}", "Orders cancelled or refunded, by reason.");
        meter.CreateObservableGauge("ticketing.orders.pending", () => Overview?.Orders.Pending ?? 0, "{order}", "Orders waiting for payment, seats or stock.");
        meter.CreateObservableGauge("ticketing.orders.stuck", () => Overview?.StuckOrders.Count ?? 0, "{order}", "Orders pending for longer than the checkout time-out.");
        meter.CreateObservableCounter("ticketing.payments.declined", () => Overview?.Payments.Declined ?? 0, "{payment}", "Card payments declined.");
        meter.CreateObservableGauge("ticketing.payments.decline_ratio", () => Overview?.Payments.DeclineRate ?? 0, "1", "Declined share of the payments tried.");
        meter.CreateObservableGauge("ticketing.revenue", Revenue, "{currency}", "Revenue of sold seats and merch, refunds taken off, by currency.");
        meter.CreateObservableGauge("ticketing.seats.sold", () => PerConcert(c => c.Sold), "{seat}", "Seats sold, by concert.");
        meter.CreateObservableGauge("ticketing.seats.held", () => PerConcert(c => c.Held), "{seat}", "Seats held, by concert.");
        meter.CreateObservableGauge("ticketing.seats.available", () => PerConcert(c => c.Available), "{seat}", "Seats still on sale, by concert.");
        meter.CreateObservableGauge("ticketing.stock.available", () => PerProduct(p => p.Available), "{item}", "Merch on sale, by product.");
        meter.CreateObservableGauge("ticketing.stock.sold", () => PerProduct(p => p.Sold), "{item}", "Merch sold, by product.");
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
