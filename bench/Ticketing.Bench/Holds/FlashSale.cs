using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ticketing.Bench.Holds;

/// <summary>
/// One hold request and its answer. Times are <see cref="Stopwatch"/> timestamps: <see cref="DueAt"/> when the
/// request was due (when the fan sent it in a closed loop, its scheduled arrival in an open loop),
/// <see cref="SentAt"/> when it was handed to the HTTP client, <see cref="AnsweredAt"/> when the answer was read.
/// </summary>
public sealed record HoldAttempt(string FanId, HoldWish Wish, long DueAt, long SentAt, long AnsweredAt, HoldAnswer Answer)
{
    public double LatencyMs => Stopwatch.GetElapsedTime(DueAt, AnsweredAt).TotalMilliseconds;

    public double SendLagMs => Stopwatch.GetElapsedTime(DueAt, SentAt).TotalMilliseconds;
}

/// <summary>How a sale phase ended.</summary>
public enum SaleEnd
{
    SoldOut,
    TimeCap,
    RequestCap,
    ArrivalsDone,
}

/// <summary>Every request of a phase, when it started, how it ended, how often the seat map was read.</summary>
public sealed record SaleResult(
    IReadOnlyList<HoldAttempt> Attempts, long StartedAt, SaleEnd End, int MapReads, int MapFailures, int NoWish, IReadOnlyList<string> Reopened);

/// <summary>
/// The simulated fans of a sale against one concert. Each request is a new fan (own bearer token
/// <c>{prefix}-{n}</c>), so the per-fan ticket limit never refuses one; what each asks for comes from the shared
/// <see cref="SeatView"/>, which a background task refreshes from the public seat map every
/// <c>mapRefresh</c> (0: never).
/// </summary>
public sealed class FlashSale(TicketsApi api, Venue venue, Guid concertId, SeatView view, int specificPercent, TimeSpan mapRefresh)
{
    /// <summary>The seat map is cached 500 ms: read this long after the last refusal, it shows every earlier hold.</summary>
    public static readonly TimeSpan MapFreshness = TimeSpan.FromMilliseconds(600);

    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CoordinatorTick = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentQueue<string> reopened = new();
    private int mapReads;
    private int mapFailures;
    private int noWish;

    /// <summary>
    /// Closed loop: <paramref name="fans"/> fans, each sending its next request as soon as the previous one is
    /// answered, until the venue is sold out (every tier refused "not enough seats" <see cref="SeatView.ExhaustedAfter"/>
    /// times in a row, no free pair known, and a fresh seat map confirming it), <paramref name="timeCap"/> passed,
    /// or <paramref name="maxRequests"/> were sent. Requests in flight at the end are answered, never abandoned.
    /// </summary>
    public async Task<SaleResult> RunClosedAsync(int fans, string fanPrefix, TimeSpan timeCap, int maxRequests, CancellationToken cancellationToken)
    {
        using var over = new CancellationTokenSource();
        var end = (int)SaleEnd.TimeCap; // the first other reason to stop replaces it
        var budget = maxRequests;
        var sequence = -1;
        var start = Stopwatch.GetTimestamp();

        async Task<List<HoldAttempt>> FanAsync()
        {
            var attempts = new List<HoldAttempt>();
            while (!over.IsCancellationRequested)
            {
                if (!view.TryNext(Random.Shared, specificPercent, out var wish))
                {
                    Interlocked.Increment(ref noWish);
                    await Task.Delay(IdlePause, cancellationToken);
                    continue;
                }

                if (Interlocked.Decrement(ref budget) < 0)
                {
                    Interlocked.CompareExchange(ref end, (int)SaleEnd.RequestCap, (int)SaleEnd.TimeCap);
                    await over.CancelAsync();
                    view.Record(wish, new HoldAnswer(HoldOutcome.TransportError, 0, Guid.Empty, [])); // not sent: give the pair back
                    break;
                }

                var due = Stopwatch.GetTimestamp();
                attempts.Add(await SendAsync($"{fanPrefix}-{Interlocked.Increment(ref sequence)}", wish, due, cancellationToken));
            }

            return attempts;
        }

        var fanTasks = Enumerable.Range(0, fans).Select(_ => Task.Run(FanAsync, cancellationToken)).ToList();
        var coordinator = CoordinateAsync(
            detectSoldOut: true, over, () => Interlocked.CompareExchange(ref end, (int)SaleEnd.SoldOut, (int)SaleEnd.TimeCap), cancellationToken);
        over.CancelAfter(timeCap);

        var results = await Task.WhenAll(fanTasks);
        await over.CancelAsync();
        await coordinator;
        return new SaleResult(results.SelectMany(list => list).ToList(), start, (SaleEnd)end, mapReads, mapFailures, noWish, reopened.ToList());
    }

    /// <summary>
    /// Open loop: <paramref name="arrivals"/> fans arrive at <paramref name="rate"/> per second, each sending one
    /// request at its scheduled time whether or not earlier ones were answered; latency counts from the schedule.
    /// </summary>
    public async Task<SaleResult> RunOpenAsync(int rate, int arrivals, string fanPrefix, CancellationToken cancellationToken)
    {
        using var over = new CancellationTokenSource();
        var coordinator = CoordinateAsync(detectSoldOut: false, over, soldOut: () => { }, cancellationToken);
        var ticksPerArrival = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var requests = new List<Task<HoldAttempt?>>(arrivals);
        for (var i = 0; i < arrivals; i++)
        {
            var due = start + (long)(i * ticksPerArrival);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var fanId = $"{fanPrefix}-{i}";
            requests.Add(Task.Run(() => ArriveAsync(fanId, due, cancellationToken), cancellationToken));
        }

        var attempts = await Task.WhenAll(requests);
        await over.CancelAsync();
        await coordinator;
        return new SaleResult(attempts.OfType<HoldAttempt>().ToList(), start, SaleEnd.ArrivalsDone, mapReads, mapFailures, noWish, reopened.ToList());
    }

    private async Task<HoldAttempt?> ArriveAsync(string fanId, long due, CancellationToken cancellationToken)
    {
        if (!view.TryNext(Random.Shared, specificPercent, out var wish))
        {
            Interlocked.Increment(ref noWish);
            return null;
        }

        return await SendAsync(fanId, wish, due, cancellationToken);
    }

    private async Task<HoldAttempt> SendAsync(string fanId, HoldWish wish, long due, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        var answer = wish.SeatIndexes is { } seats
            ? await api.PlaceHoldAsync(concertId, fanId, seats.Select(index => venue.SeatIds[index]).ToList(), null, 0, cancellationToken)
            : await api.PlaceHoldAsync(concertId, fanId, null, Venue.Tiers[wish.Tier].Code, SeatView.Quantity, cancellationToken);
        var answered = Stopwatch.GetTimestamp();
        view.Record(wish, answer);
        return new HoldAttempt(fanId, wish, due, sent, answered, answer);
    }

    /// <summary>
    /// Refreshes the view from the seat map every <c>mapRefresh</c>. With <paramref name="detectSoldOut"/>, when
    /// the view looks sold out it reads the map once more after <see cref="MapFreshness"/>: sold out when no
    /// tier has a free pair left, otherwise the tiers with seats are reopened (a "not enough seats" answer
    /// can come from lost races, not only from an empty tier).
    /// </summary>
    private async Task CoordinateAsync(bool detectSoldOut, CancellationTokenSource over, Action soldOut, CancellationToken cancellationToken)
    {
        var lastRead = Stopwatch.GetTimestamp();
        try
        {
            while (!over.IsCancellationRequested)
            {
                if (detectSoldOut && view.LooksSoldOut)
                {
                    await Task.Delay(MapFreshness, cancellationToken);
                    var map = await ReadMapAsync(cancellationToken);
                    lastRead = Stopwatch.GetTimestamp();
                    if (map is not null && view.LooksSoldOut)
                    {
                        var stillOpen = view.Reopen(map);
                        if (stillOpen.Count == 0)
                        {
                            soldOut();
                            await over.CancelAsync();
                            return;
                        }

                        foreach (var tier in stillOpen)
                        {
                            reopened.Enqueue(tier);
                        }
                    }
                }
                else if (mapRefresh > TimeSpan.Zero && Stopwatch.GetElapsedTime(lastRead) >= mapRefresh)
                {
                    await ReadMapAsync(cancellationToken);
                    lastRead = Stopwatch.GetTimestamp();
                }

                await Task.Delay(CoordinatorTick, over.Token);
            }
        }
        catch (OperationCanceledException) when (over.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // the phase is over
        }
    }

    /// <summary>Reads the seat map into the view; a failed read (counted) is skipped, the next tick tries again.</summary>
    private async Task<SeatMapView?> ReadMapAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await api.SeatMapAsync(venue, concertId, cancellationToken);
            Interlocked.Increment(ref mapReads);
            view.Learn(map);
            return map;
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref mapFailures);
            return null;
        }
    }
}
