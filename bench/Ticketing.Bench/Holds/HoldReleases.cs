using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Holds;

/// <summary>Gives a benchmark's holds back (not measured), so that their expiry does not land in a later run.</summary>
internal static class HoldReleases
{
    /// <summary>Releases the holds placed among <paramref name="holds"/>, each as its fan, <paramref name="inFlight"/> at a time.</summary>
    public static async Task ReleaseAsync(Report report, PlatformClient platform, IEnumerable<HoldAttempt> holds, int inFlight, CancellationToken cancellationToken)
    {
        // In random order: holds placed one after the other share rows, and releases of one row wait for each other.
        var held = holds.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToArray();
        Random.Shared.Shuffle(held);
        var queue = new ConcurrentQueue<HoldAttempt>(held);
        var statuses = new ConcurrentBag<int>();
        var start = Stopwatch.GetTimestamp();
        await Load.ClosedAsync(inFlight, async token =>
        {
            if (!queue.TryDequeue(out var next))
            {
                return false;
            }

            statuses.Add(await platform.ReleaseHoldAsync(next.Answer.HoldId, next.FanId, token));
            return true;
        }, cancellationToken);
        report.Line($"{statuses.Count:N0} holds released in {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s, {inFlight} in flight; answers: {Report.Tally(statuses)}");
    }
}
