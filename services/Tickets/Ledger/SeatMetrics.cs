using System.Diagnostics.Metrics;

namespace Ticketing.Tickets.Ledger;

/// <summary>
/// Seats left, held and sold per concert and tier (meter <c>Ticketing.Tickets</c>), read from the seat ledgers this
/// instance has loaded, as they are after their last commit: the live numbers of a drop, without a query. With several
/// instances each concert's ledger lives on the instance its requests are routed to (concert affinity); another
/// instance that loaded it for a message reports the version it last read, so dashboards take the minimum of
/// <c>available</c> per concert and tier.
/// </summary>
public sealed class SeatMetrics
{
    public SeatMetrics(IMeterFactory meters, SeatLedgers ledgers)
    {
        var meter = meters.Create(Holds.HoldMetrics.MeterName);
        meter.CreateObservableGauge("ticketing.seats.available", () => PerTier(ledgers, tier => tier.Available), "{seat}",
            "Seats on sale (neither held nor sold), by concert and tier.");
        meter.CreateObservableGauge("ticketing.seats.held", () => PerTier(ledgers, tier => tier.Held), "{seat}",
            "Seats held for fans or in checkout, by concert and tier.");
        meter.CreateObservableGauge("ticketing.seats.sold", () => PerTier(ledgers, tier => tier.Sold), "{seat}",
            "Seats sold, by concert and tier.");
    }

    private static IEnumerable<Measurement<long>> PerTier(SeatLedgers ledgers, Func<TierCounts, int> value) =>
        ledgers.Loaded.SelectMany(writer => writer.View.Tiers.Values.Select(tier => new Measurement<long>(
            value(tier),
            new KeyValuePair<string, object?>("concert_id", writer.View.Layout.ConcertId),
            new KeyValuePair<string, object?>("tier", tier.Tier))));
}
