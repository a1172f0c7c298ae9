using System.Diagnostics.Metrics;
using Ticketing.Queue.Drops;

namespace Ticketing.Queue.Operations;

/// <summary>
/// Waiting-room admission per drop (meter <c>Ticketing.Queue</c>), from the drops' state in memory, the same on every
/// instance: fans joined and admitted (counters, so that a rate shows joins and admissions per second), fans waiting,
/// admitted fans still active (holding a pass they have not used), passes expired unused, and the measured admission
/// rate. Labelled with the drop id and kind (concert or product); a closed drop is no longer reported.
/// </summary>
public sealed class QueueMetrics
{
    public const string MeterName = "Ticketing.Queue";

    public QueueMetrics(IMeterFactory meters, DropStates drops, TimeProvider time)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("ticketing.queue.joined", () => PerDrop(drops, time, counters => counters.Joined), "{fan}",
            "Fans who joined the drop's waiting room.");
        meter.CreateObservableCounter("ticketing.queue.admitted", () => PerDrop(drops, time, counters => counters.Admitted), "{fan}",
            "Fans let in (given an admission pass).");
        meter.CreateObservableGauge("ticketing.queue.waiting", () => PerDrop(drops, time, counters => counters.Waiting), "{fan}",
            "Fans waiting to be let in.");
        meter.CreateObservableGauge("ticketing.queue.active", () => PerDrop(drops, time, counters => counters.Active), "{fan}",
            "Admitted fans whose pass is neither used nor expired.");
        meter.CreateObservableCounter("ticketing.queue.passes.expired", () => PerDrop(drops, time, counters => counters.PassesExpired), "{pass}",
            "Admission passes that expired unused.");
        meter.CreateObservableGauge("ticketing.queue.admission.rate", () => RatePerDrop(drops, time), "{fan}/min",
            "Admissions per minute measured over the last minute.");
    }

    private static IEnumerable<Measurement<long>> PerDrop(DropStates drops, TimeProvider time, Func<DropCounters, long> value) =>
        Open(drops, time).Select(counters => new Measurement<long>(value(counters), Tags(counters))).ToList();

    private static IEnumerable<Measurement<double>> RatePerDrop(DropStates drops, TimeProvider time) =>
        Open(drops, time).Select(counters => new Measurement<double>(counters.MeasuredAdmissionsPerMinute, Tags(counters))).ToList();

    private static IEnumerable<DropCounters> Open(DropStates drops, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return drops.All.Select(drop => drop.Counters(now)).Where(counters => counters.Phase != "closed");
    }

    private static KeyValuePair<string, object?>[] Tags(DropCounters counters) =>
    [
        new("drop_id", counters.DropId),
        new("kind", counters.Kind),
    ];
}
