using System.Diagnostics;

namespace Ticketing.Bench.Infrastructure;

/// <summary>The two ways a benchmark offers load: a fixed number in flight (closed loop), or a fixed arrival rate (open loop).</summary>
public static class Load
{
    /// <summary>
    /// Closed loop: <paramref name="inFlight"/> workers, each calling <paramref name="step"/> again as soon as it
    /// returns, until it returns false (then that worker stops).
    /// </summary>
    public static Task ClosedAsync(int inFlight, Func<CancellationToken, Task<bool>> step, CancellationToken cancellationToken) =>
        ClosedAsync(inFlight, (_, token) => step(token), cancellationToken);

    /// <summary>Closed loop as above; <paramref name="step"/> is told which worker (0 to <paramref name="inFlight"/> - 1) calls it.</summary>
    public static Task ClosedAsync(int inFlight, Func<int, CancellationToken, Task<bool>> step, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, inFlight).Select(worker => Task.Run(async () =>
        {
            while (await step(worker, cancellationToken))
            {
            }
        }, cancellationToken)));

    /// <summary>
    /// Open loop: <paramref name="arrivals"/> arrivals at <paramref name="rate"/> per second, arrival <c>i</c> started at
    /// its scheduled time (a <see cref="Stopwatch"/> timestamp, passed to it) whether or not earlier ones are done.
    /// Latency measured from that time includes any lateness of the generator (no coordinated omission).
    /// </summary>
    public static async Task OpenAsync(int rate, int arrivals, Func<int, long, CancellationToken, Task> arrive, CancellationToken cancellationToken)
    {
        var ticksPerArrival = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var running = new List<Task>(arrivals);
        for (var i = 0; i < arrivals; i++)
        {
            var due = start + (long)(i * ticksPerArrival);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var index = i;
            running.Add(Task.Run(() => arrive(index, due, cancellationToken), cancellationToken));
        }

        await Task.WhenAll(running);
    }
}
