using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Contracts.Tickets;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Seats;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// Places holds for a drop. Each concert has one lane per instance: hold requests queue on it, and the lane
/// decides them in batches — the queue drained, seats chosen from an in-memory <see cref="SeatChart"/>, every
/// chosen seat and every fan's allowance read for writing at once, then all the batch's holds appended and
/// committed in one transaction. A thousand fans arriving together cost a few dozen commits instead of
/// thousands of competing ones, and no request waits behind another's retry.
/// <para>
/// Why it cannot oversell: the chart only proposes. Each claimed seat is appended to its own stream at the
/// version it was read at, and each fan's allowance likewise, so any change made meanwhile — by another
/// instance's lane, an expiry, a release — fails the whole commit, and the batch is decided again on fresh
/// state. Answers are given only after the commit.
/// </para>
/// </summary>
public sealed partial class HoldDesk(
    ISessionFactory sessionFactory,
    IDocumentStore documentStore,
    IOptions<HoldOptions> holdOptions,
    TimeProvider timeProvider,
    IHostApplicationLifetime applicationLifetime,
    ILogger<HoldDesk> holdDeskLogger)
{
    private const int Attempts = 8;

    // Fields, not captured parameters: the lanes (nested) read them.
    private readonly ISessionFactory sessions = sessionFactory;
    private readonly IDocumentStore store = documentStore;
    private readonly IOptions<HoldOptions> options = holdOptions;
    private readonly TimeProvider time = timeProvider;
    private readonly IHostApplicationLifetime lifetime = applicationLifetime;
    private readonly ILogger<HoldDesk> logger = holdDeskLogger;

    // Lazy: GetOrAdd may run its factory twice under a race, and a lane's loop must start once per concert.
    private readonly ConcurrentDictionary<Guid, Lazy<Lane>> lanes = new();

    public async Task<HoldOutcome> PlaceAsync(InventoryView inventory, string fanId, HoldSelection selection, CancellationToken cancellationToken)
    {
        var lane = lanes.GetOrAdd(inventory.Inventory.Id, concertId => new Lazy<Lane>(() => Lane.Start(this, concertId))).Value;
        var pending = new PendingHold(inventory, fanId, selection, cancellationToken);
        await lane.Requests.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Outcome.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Seats of a concert changed outside the lane (released, expired, sold, refunded) on this instance.</summary>
    public void SeatsChanged(Guid concertId, IEnumerable<string> seatIds, bool free)
    {
        if (lanes.TryGetValue(concertId, out var lane) && lane.IsValueCreated)
        {
            lane.Value.Changes.Enqueue((seatIds.ToList(), free));
        }
    }

    private sealed record PendingHold(InventoryView Inventory, string FanId, HoldSelection Selection, CancellationToken Cancellation)
    {
        public int Limit => Inventory.TicketLimitPerFan;
        public TaskCompletionSource<HoldOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Quantity => Selection.SeatIds?.Count ?? Selection.Quantity!.Value;
    }

    private sealed record Claim(PendingHold Pending, IReadOnlyList<string> SeatIds);

    private sealed class Lane
    {
        private readonly HoldDesk desk;
        private readonly Guid concertId;
        private SeatChart? chart;
        private DateTimeOffset chartReadAt;

        private Lane(HoldDesk desk, Guid concertId)
        {
            this.desk = desk;
            this.concertId = concertId;
        }

        public Channel<PendingHold> Requests { get; } = Channel.CreateUnbounded<PendingHold>(new() { SingleReader = true });

        public ConcurrentQueue<(List<string> SeatIds, bool Free)> Changes { get; } = new();

        public static Lane Start(HoldDesk desk, Guid concertId)
        {
            var lane = new Lane(desk, concertId);
            // The lane serves every request of the concert: it must not carry the first request's trace and log scope.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => lane.RunAsync(desk.lifetime.ApplicationStopping));
            }
            return lane;
        }

        private async Task RunAsync(CancellationToken stopping)
        {
            var batch = new List<PendingHold>();
            try
            {
                while (await Requests.Reader.WaitToReadAsync(stopping))
                {
                    batch.Clear();
                    while (batch.Count < desk.options.Value.MaxBatch && Requests.Reader.TryRead(out var pending))
                    {
                        if (pending.Cancellation.IsCancellationRequested)
                        {
                            pending.Outcome.TrySetCanceled(pending.Cancellation);
                        }
                        else
                        {
                            batch.Add(pending);
                        }
                    }

                    if (batch.Count == 0)
                    {
                        continue;
                    }

                    try
                    {
                        await DecideAsync(batch, stopping);
                    }
                    catch (Exception exception)
                    {
                        chart = null; // read it again: the batch may have left tentative claims in it
                        LogBatchFailed(desk.logger, exception, concertId, batch.Count);
                        foreach (var pending in batch)
                        {
                            pending.Outcome.TrySetException(exception);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }

            while (Requests.Reader.TryRead(out var left))
            {
                left.Outcome.TrySetCanceled(stopping);
            }
        }

        private async Task DecideAsync(List<PendingHold> batch, CancellationToken stopping)
        {
            IReadOnlyList<PendingHold> undecided = batch;
            var started = Stopwatch.GetTimestamp();
            for (var attempt = 1; attempt <= Attempts && undecided.Count > 0; attempt++)
            {
                var seats = await ChartAsync(stopping);
                var charted = Stopwatch.GetTimestamp();
                await using var session = desk.sessions.OpenSession();
                var allowances = (await session.Events.FetchManyForWriting<FanAllowance>(
                        undecided.Select(pending => StreamKeys.FanAllowance(concertId, pending.FanId)).Distinct().ToList(), stopping))
                    .ToDictionary(stream => stream.Id);
                var allowancesRead = Stopwatch.GetTimestamp();

                var claims = Claim(undecided, seats, allowances);
                if (claims.Count == 0)
                {
                    return;
                }

                var claimedSeatIds = claims.SelectMany(claim => claim.SeatIds).ToList();
                var rowOf = claims[0].Pending.Inventory.RowOfSeat;
                var rows = (await session.Events.FetchManyForWriting<SeatRow>(claimedSeatIds.Select(seatId => rowOf[seatId]).Distinct().ToList(), stopping))
                    .ToDictionary(stream => stream.Id);
                var seatsRead = Stopwatch.GetTimestamp();
                var gone = claimedSeatIds.Where(seatId => rows[rowOf[seatId]].Aggregate?.Seat(seatId) is not { Status: SeatStatus.Available }).ToList();
                undecided = claims.Select(claim => claim.Pending).ToList();
                seats.Free(claimedSeatIds); // tentative claims end here; what commits is taken again below
                if (gone.Count > 0)
                {
                    seats.Take(gone); // the chart was behind: decide again with it corrected
                    continue;
                }

                var now = desk.time.GetUtcNow();
                var placed = new List<(PendingHold Pending, HoldPlaced Placed)>(claims.Count);
                foreach (var claim in claims)
                {
                    var hold = new HoldPlaced(
                        Guid.CreateVersion7(),
                        concertId,
                        claim.Pending.FanId,
                        claim.SeatIds.Select(seatId => rows[rowOf[seatId]].Aggregate! is var row
                            ? new HeldSeat(seatId, row.Tier, row.Price, row.Currency)
                            : null!).ToList(),
                        now,
                        now + desk.options.Value.Duration);
                    foreach (var inRow in claim.SeatIds.GroupBy(seatId => rowOf[seatId]))
                    {
                        rows[inRow.Key].AppendOne(new RowSeatsHeld(inRow.Key, hold.HoldId, hold.FanId, inRow.ToList()));
                    }

                    var allowance = allowances[StreamKeys.FanAllowance(concertId, hold.FanId)];
                    allowance.AppendOne(new FanSeatsTaken(allowance.Id, concertId, hold.FanId, hold.HoldId, hold.Seats.Count));
                    session.Events.StartStream<Hold>(hold.HoldId, hold);
                    placed.Add((claim.Pending, hold));
                }

                var appended = Stopwatch.GetTimestamp();
                var saved = await SeatBook.TrySaveAsync(session, stopping);
                LogBatch(desk.logger, concertId, batch.Count, claims.Count, attempt, saved,
                    Stopwatch.GetElapsedTime(started, charted).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(charted, allowancesRead).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(allowancesRead, seatsRead).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(seatsRead, appended).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(appended).TotalMilliseconds);
                if (saved)
                {
                    seats.Take(claimedSeatIds);
                    foreach (var (pending, hold) in placed)
                    {
                        pending.Outcome.TrySetResult(new HoldOutcome.Placed(Hold.Create(hold)));
                    }

                    return;
                }

                // Someone changed a seat or an allowance between the read and the commit: decide again.
                chart = null;
            }

            foreach (var pending in undecided)
            {
                pending.Outcome.TrySetResult(pending.Selection.SeatIds is { } seatIds
                    ? new HoldOutcome.SeatsTaken(seatIds)
                    : new HoldOutcome.NotEnoughSeats(pending.Selection.Tier!, pending.Quantity));
            }
        }

        /// <summary>
        /// Decides each request against the chart and the fans' allowances, in arrival order: refusals are
        /// answered at once, the rest become claims whose seats are taken in the chart for the next request.
        /// </summary>
        private List<Claim> Claim(IReadOnlyList<PendingHold> undecided, SeatChart seats, Dictionary<Guid, IEventStream<FanAllowance>> allowances)
        {
            var claims = new List<Claim>();
            var claimedByFan = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var pending in undecided)
            {
                var allowance = allowances[StreamKeys.FanAllowance(concertId, pending.FanId)];
                var already = (allowance.Aggregate?.Seats ?? 0) + claimedByFan.GetValueOrDefault(pending.FanId);
                if (already + pending.Quantity > pending.Limit)
                {
                    pending.Outcome.TrySetResult(new HoldOutcome.OverLimit(pending.Limit, already, pending.Quantity));
                    continue;
                }

                IReadOnlyList<string>? chosen;
                if (pending.Selection.SeatIds is { } seatIds)
                {
                    var taken = seatIds.Where(seatId => !seats.IsFree(seatId)).ToList();
                    if (taken.Count > 0)
                    {
                        pending.Outcome.TrySetResult(new HoldOutcome.SeatsTaken(taken));
                        continue;
                    }

                    chosen = seatIds;
                }
                else if (seats.ChooseBest(pending.Selection.Tier!, pending.Quantity) is { } best)
                {
                    chosen = best;
                }
                else
                {
                    pending.Outcome.TrySetResult(new HoldOutcome.NotEnoughSeats(pending.Selection.Tier!, pending.Quantity));
                    continue;
                }

                seats.Take(chosen);
                claims.Add(new Claim(pending, chosen));
                claimedByFan[pending.FanId] = claimedByFan.GetValueOrDefault(pending.FanId) + pending.Quantity;
            }

            return claims;
        }

        /// <summary>The chart, read again when missing or older than the refresh interval; local changes applied.</summary>
        private async Task<SeatChart> ChartAsync(CancellationToken cancellationToken)
        {
            var now = desk.time.GetUtcNow();
            if (chart is null || now - chartReadAt > desk.options.Value.SeatChartRefresh)
            {
                Changes.Clear();
                await using var session = desk.store.QuerySession();
                var rows = await session.Query<SeatRow>().Where(row => row.ConcertId == concertId).ToListAsync(cancellationToken);
                chart = SeatChart.From(rows);
                chartReadAt = now;
            }

            while (Changes.TryDequeue(out var change))
            {
                foreach (var seatId in change.SeatIds)
                {
                    chart.Set(seatId, change.Free);
                }
            }

            return chart;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Concert {ConcertId}: batch of {Count}, {Claims} claims, attempt {Attempt}, saved {Saved}; ms chart {ChartMs:F1} allowances {AllowancesMs:F1} seats {SeatsMs:F1} append {AppendMs:F1} save {SaveMs:F1}")]
    private static partial void LogBatch(ILogger logger, Guid concertId, int count, int claims, int attempt, bool saved, double chartMs, double allowancesMs, double seatsMs, double appendMs, double saveMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} holds for concert {ConcertId} failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, Guid concertId, int count);
}
