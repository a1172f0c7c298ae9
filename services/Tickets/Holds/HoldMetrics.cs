using System.Diagnostics.Metrics;
using Ticketing.ServiceDefaults.Telemetry;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// Holds as operators follow them on drop day (meter <c>Ticketing.Tickets</c>): holds placed and seats held per
/// second, holds refused by reason, and the time a hold request takes in this service (the target is 100 ms at p99).
/// </summary>
public sealed class HoldMetrics
{
    public const string MeterName = "Ticketing.Tickets";

    private readonly Counter<long> placed;
    private readonly Counter<long> seatsHeld;
    private readonly Counter<long> refused;
    private readonly RequestTiming duration;

    public HoldMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        placed = meter.CreateCounter<long>("ticketing.holds.placed", "{hold}", "Holds placed.");
        seatsHeld = meter.CreateCounter<long>("ticketing.holds.seats", "{seat}", "Seats taken by the holds placed.");
        refused = meter.CreateCounter<long>("ticketing.holds.refused", "{hold}", "Hold requests refused, by reason.");
        duration = new RequestTiming(
            meter,
            "ticketing.holds.duration",
            "Time to answer a hold request in the Tickets service, by outcome (placed, refused).",
            result => result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status201Created } ? "placed" : "refused");
    }

    /// <summary>Counts the ledger's answer to a hold request.</summary>
    public void Decided(object outcome)
    {
        if (outcome is HoldOutcome.Placed { Hold: var hold })
        {
            placed.Add(1);
            seatsHeld.Add(hold.Seats.Count);
            return;
        }

        Refused(outcome switch
        {
            HoldOutcome.SeatsTaken => HoldRefusalReasons.SeatsTaken,
            HoldOutcome.NotEnoughSeats => HoldRefusalReasons.NotEnoughSeats,
            HoldOutcome.OverLimit => HoldRefusalReasons.OverLimit,
            HoldOutcome.NotOpenYet => HoldRefusalReasons.SaleNotOpen,
            HoldOutcome.SalesStopped => HoldRefusalReasons.SalesStopped,
            _ => HoldRefusalReasons.Withdrawn,
        });
    }

    /// <summary>Counts a request refused before the ledger decided (<c>not_found</c>, <c>admission_required</c>, <c>invalid</c>).</summary>
    public void Refused(string reason) => refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>An endpoint filter timing the hold request, tagged with its outcome.</summary>
    public ValueTask<object?> TimeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) => duration.TimeAsync(context, next);
}
