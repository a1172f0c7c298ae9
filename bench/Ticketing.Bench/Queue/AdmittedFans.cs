using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Queue;

/// <summary>
/// What became of one fan who was near the front: admitted (<c>AdmittedAt</c> by the queue's clock) and the pair held
/// (<c>DoneAt</c>: when the fan had its answer), or the status that ended the wait.
/// </summary>
internal sealed record FanOutcome(string FanId, string Status, DateTimeOffset? AdmittedAt, DateTimeOffset DoneAt, HoldAttempt? Held)
{
    /// <summary>From the queue letting the fan in (the fan learns it at its next place read) to the pair held.</summary>
    public double? AdmittedToHeldMs => Held is not null && AdmittedAt is { } admitted ? (DoneAt - admitted).TotalMilliseconds : null;
}

/// <summary>
/// The front of the queue during the sale, as fans' apps behave: the operator's counters are read every
/// <see cref="CountersInterval"/>; the fans whose turn (in the expected order) comes within <c>lookahead</c> admissions
/// start reading their place every <c>pollInterval</c>; once admitted, each takes the admission pass from the answer and
/// holds the best available pair of a tier with it (<see cref="PairSale"/>). Fans already reading their place when the
/// queue says sold out stop at that answer.
/// </summary>
internal sealed class AdmittedFans(PlatformClient platform, Guid dropId, IReadOnlyList<string> fansInOrder, TimeSpan pollInterval, int lookahead)
{
    private const int MaxHoldRequestsPerFan = 8;
    private static readonly TimeSpan CountersInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long fans still reading their place may wait for the queue to tell them sold out.</summary>
    private static readonly TimeSpan SoldOutGrace = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, string> passes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<QueueAnswer> reads = new();
    private readonly ConcurrentQueue<FanOutcome> outcomes = new();
    private readonly List<(long At, int Admitted)> admissions = [];

    /// <summary>Every place read of the fans near the front.</summary>
    public IReadOnlyCollection<QueueAnswer> Reads => reads;

    /// <summary>Each fan started, once its wait ended (fans stopped by the grace period have none).</summary>
    public IReadOnlyCollection<FanOutcome> Outcomes => outcomes;

    /// <summary>The admitted count as the operator's counters showed it, with when (<see cref="Stopwatch"/> timestamps).</summary>
    public IReadOnlyList<(long At, int Admitted)> Admissions => admissions;

    /// <summary>Fans who started reading their place.</summary>
    public int Started { get; private set; }

    /// <summary>Fans still reading their place when the grace period after the sold-out ended.</summary>
    public int StillWaiting { get; private set; }

    /// <summary>The queue's counters at the end.</summary>
    public QueueCounters? Final { get; private set; }

    /// <summary>The sale of the drop's seats (a concert drop: its id is the concert's), each fan holding with the pass it was given.</summary>
    public PairSale Sale() => PairSale.OnPlatform(platform, dropId, fanId => passes.GetValueOrDefault(fanId));

    /// <summary>Runs the front of the queue until the queue says sold out and its fans are done, or <paramref name="cap"/> passed.</summary>
    public async Task RunAsync(PairSale sale, TimeSpan cap, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        long? soldOutAt = null;
        while (Stopwatch.GetElapsedTime(start) < cap)
        {
            Final = await platform.QueueCountersAsync(dropId, cancellationToken) ?? throw new InvalidOperationException($"The Queue forgot drop {dropId}.");
            admissions.Add((Stopwatch.GetTimestamp(), Final.Admitted));
            for (var due = Math.Min(fansInOrder.Count, Final.Admitted + lookahead); Started < due; Started++)
            {
                var fanId = fansInOrder[Started];
                running.Add(Task.Run(() => FanAsync(fanId, sale, waiting.Token), CancellationToken.None));
            }

            soldOutAt ??= Final.SoldOut ? Stopwatch.GetTimestamp() : null;
            if (soldOutAt is { } at && (running.All(task => task.IsCompleted) || Stopwatch.GetElapsedTime(at) > SoldOutGrace))
            {
                break;
            }

            await Task.Delay(CountersInterval, cancellationToken);
        }

        await waiting.CancelAsync();
        await Task.WhenAll(running);
        StillWaiting = Started - outcomes.Count;
    }

    private async Task FanAsync(string fanId, PairSale sale, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var answer = await platform.QueuePlaceAsync(dropId, fanId, cancellationToken);
                reads.Enqueue(answer);
                if (answer.Entry is { Status: EntryStatus.Admitted, AdmissionPass: { } pass } admitted)
                {
                    passes[fanId] = pass;
                    var held = await sale.HoldPairAsync(fanId, MaxHoldRequestsPerFan, CancellationToken.None);
                    outcomes.Enqueue(new FanOutcome(fanId, EntryStatus.Admitted, admitted.AdmittedAt, DateTimeOffset.UtcNow, held));
                    return;
                }

                if (answer.Entry is { Status: not EntryStatus.Waiting } ended)
                {
                    outcomes.Enqueue(new FanOutcome(fanId, ended.Status, null, DateTimeOffset.UtcNow, null));
                    return;
                }

                await Task.Delay(pollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // still waiting at the end: counted as StillWaiting
        }
    }
}

/// <summary>The <c>status</c> values of a fan's place.</summary>
internal static class EntryStatus
{
    public const string Waiting = "waiting";
    public const string Admitted = "admitted";
    public const string SoldOut = "sold_out";
}
