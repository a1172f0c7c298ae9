using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Queue;

/// <summary>What one phase of waiting-room calls measured: every answer's status and latency, at the load stated.</summary>
internal sealed record PhaseResult(string Name, string Load, int[] Statuses, TimeSpan Elapsed, Stats Latency, CpuUsage? Cpu)
{
    public int Requests => Statuses.Length;

    public int Succeeded => Statuses.Count(status => status is 200 or 201);

    /// <summary>Successful answers per second over the phase.</summary>
    public double PerSecond => Stats.Rate(Succeeded, Elapsed);

    /// <summary>"1,234/s": successful answers per second, as the figures show them.</summary>
    public string Rate => $"{PerSecond:N0}/s";

    public bool AllAnswered(int status) => Statuses.All(answer => answer == status);

    public string Tally => Report.Tally(Statuses);
}

/// <summary>
/// Runs <c>count</c> waiting-room calls as a closed loop (<see cref="Load.ClosedAsync(int, Func{CancellationToken, Task{bool}}, CancellationToken)"/>:
/// a fixed number in flight, latency of each call) or an open loop (<see cref="Load.OpenAsync"/>: arrivals at a fixed
/// rate, latency from each arrival's scheduled time); prints the phase and, when <c>groups</c> are given, its CPU per
/// successful call.
/// </summary>
internal static class QueuePhases
{
    /// <summary>
    /// Publishes a concert of <paramref name="venue"/> with a waiting room (open to joins now) whose sale opens at
    /// <paramref name="saleOpensAt"/>, and waits until Tickets built its inventory and the Queue knows the drop.
    /// </summary>
    public static async Task<Guid> PublishDropAsync(
        Report report, PlatformClient platform, Venue venue, string purpose, DateTimeOffset saleOpensAt, int admissionsPerMinute, CancellationToken cancellationToken)
    {
        var dropId = await platform.PublishConcertAsync(venue, $"Bench {RunInfo.Tag} {purpose}", cancellationToken, saleOpensAt, PlatformClient.WaitingRoom(admissionsPerMinute));
        var built = await platform.WaitForInventoryAsync(dropId, cancellationToken);
        var known = await platform.WaitForQueueAsync(dropId, cancellationToken);
        report.Line($"drop {dropId} ({purpose}): a {venue.Capacity:N0}-seat concert with a waiting room admitting {admissionsPerMinute:N0} a minute, its sale opening " +
                    $"{saleOpensAt:HH:mm:ss} UTC; inventory built {built.TotalSeconds:F1} s and the waiting room known {(built + known).TotalSeconds:F1} s after publishing");
        return dropId;
    }

    public static async Task<PhaseResult> ClosedAsync(
        Report report, string name, string unit, int count, int inFlight, Func<int, CancellationToken, Task<QueueAnswer>> call,
        IReadOnlyList<ProcessGroup>? groups, CancellationToken cancellationToken)
    {
        var statuses = new int[count];
        var latencies = new double[count];
        var next = -1;
        var cpu = groups is null ? null : CpuMeter.Start(groups);
        var start = Stopwatch.GetTimestamp();
        await Load.ClosedAsync(inFlight, async token =>
        {
            var index = Interlocked.Increment(ref next);
            if (index >= count)
            {
                return false;
            }

            var answer = await call(index, token);
            (statuses[index], latencies[index]) = (answer.Status, answer.Milliseconds);
            return true;
        }, cancellationToken);
        return Print(report, unit, new PhaseResult(name, $"{inFlight} in flight", statuses, Stopwatch.GetElapsedTime(start), new Stats(latencies), cpu?.Stop()));
    }

    public static async Task<PhaseResult> OpenAsync(
        Report report, string name, string unit, int count, int rate, Func<int, CancellationToken, Task<QueueAnswer>> call,
        IReadOnlyList<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        var statuses = new int[count];
        var latencies = new double[count];
        var cpu = CpuMeter.Start(groups);
        var start = Stopwatch.GetTimestamp();
        await Load.OpenAsync(rate, count, async (index, due, token) =>
        {
            var answer = await call(index, token);
            (statuses[index], latencies[index]) = (answer.Status, Stopwatch.GetElapsedTime(due).TotalMilliseconds);
        }, cancellationToken);
        return Print(report, unit, new PhaseResult(name, $"{rate:N0} arrivals/s, open loop", statuses, Stopwatch.GetElapsedTime(start), new Stats(latencies), cpu?.Stop()));
    }

    /// <summary>
    /// A closed loop sent by wrk (<see cref="Wrk"/>) for <paramref name="duration"/>, <paramref name="inFlight"/>
    /// connections; each request carries the next of <paramref name="authorizations"/> (none: anonymous). wrk counts
    /// answers, not their statuses: its 2xx/3xx answers are recorded as 200, the others as 0, and a caller checks a sample
    /// of answers itself. wrk's own CPU is not the system's: it counts under "everything else".
    /// </summary>
    public static async Task<PhaseResult> WrkAsync(
        Report report, string wrk, string name, string unit, Uri address, int inFlight, TimeSpan duration, IReadOnlyList<string>? authorizations,
        IReadOnlyList<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        var cpu = CpuMeter.Start(groups);
        var run = await Wrk.RunAsync(wrk, address, inFlight, duration, new Dictionary<string, string>(), cancellationToken, authorizations);
        var usage = cpu?.Stop();
        var served = (int)(run.Responses - run.NotOk);
        var statuses = new int[served + run.NotOk + run.SocketErrors];
        Array.Fill(statuses, 200, 0, served);
        return Print(report, unit, new PhaseResult(name, $"{inFlight} in flight (wrk)", statuses, run.Elapsed, run.LatencyMs, usage));
    }

    /// <summary>
    /// <paramref name="authorizations"/>' fans each POST once to <paramref name="address"/>, sent by wrk
    /// (<see cref="Wrk.PostEachOnceAsync"/>), <paramref name="inFlight"/> connections: 2xx/3xx answers are recorded as
    /// 200, the others as 0 (wrk tells no more; the caller checks the effect). CPU is measured by the caller (wrk's own
    /// counts under "everything else").
    /// </summary>
    public static async Task<PhaseResult> WrkPostEachOnceAsync(
        Report report, string wrk, string name, string unit, Uri address, int inFlight, IReadOnlyList<string> authorizations, CancellationToken cancellationToken)
    {
        var run = await Wrk.PostEachOnceAsync(wrk, address, inFlight, authorizations, TimeSpan.FromMinutes(10), cancellationToken);
        var served = (int)(run.Responses - run.NotOk);
        var statuses = new int[served + run.NotOk + run.SocketErrors];
        Array.Fill(statuses, 200, 0, served);
        return Print(report, unit, new PhaseResult(name, $"{inFlight} in flight (wrk)", statuses, run.Elapsed, run.LatencyMs, null));
    }

    private static PhaseResult Print(Report report, string unit, PhaseResult phase)
    {
        report.Line($"{phase.Name}: {phase.Succeeded:N0} of {phase.Requests:N0} in {phase.Elapsed.TotalSeconds:F1} s = {phase.Rate}; {phase.Latency.Milliseconds()} at {phase.Load}; answers {phase.Tally}");
        if (phase.Cpu is { } cpu)
        {
            report.Cpu(unit, phase.Succeeded, cpu);
        }

        return phase;
    }
}
