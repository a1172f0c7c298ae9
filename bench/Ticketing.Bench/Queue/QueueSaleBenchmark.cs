using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Queue;

/// <summary>How the <c>queue-sale</c> benchmark offers its load.</summary>
internal sealed record SaleQueueLoad(int Fans, int JoinInFlight, int AdmissionsPerMinute, TimeSpan PollInterval, TimeSpan Lookahead, TimeSpan SaleOpensIn, TimeSpan Cap);

/// <summary>
/// <c>queue-sale</c>: the flash sale behind its waiting room (issue 16). A --seats concert with a waiting room admitting
/// --admissions-per-minute is published with its sale opening shortly after --fans fans can join (the lead is measured
/// from warm-up joins unless --sale-opens-in-seconds says). The fans join through the gateway; at the opening the
/// queue draws their order, which the benchmark recomputes from the published seed. Then the front of the queue
/// (<see cref="AdmittedFans"/>): fans whose turn is near read their place every --poll-ms, take the admission pass
/// once admitted and hold the best available pair of a tier with <c>X-Admission-Pass</c>, until the venue is held out
/// and the queue tells the rest sold out. Figures: joins/s, the admission rate measured, holds/s and hold latency
/// while the queue admits, admission to hold, CPU per hold. Checks: every join 201; the seed matches its commitment;
/// fans admitted exactly in the recomputed order, each once; no 429, 5xx or failure reaching an admitted fan (every
/// place read 200, every hold 201 or 409 not enough seats left); oversold 0 and the seat map exactly the holds given;
/// the venue held out; waiting fans told <c>sold_out</c>; the drop counts every fan once.
/// </summary>
internal sealed class QueueSaleBenchmark(Venue venue, SaleQueueLoad load, Servers servers) : IBenchmarkRun
{
    public static readonly Benchmark Definition = new("queue-sale",
        "100,000 fans queued in front of the 20,000-seat flash sale: holds/s and p99 while the queue admits, each hold with its admission pass",
        options => Create(
            Venue.Read(options, "seats", 20_000, "venue of the flash sale"),
            new SaleQueueLoad(
                options.Int("fans", 100_000, 1_000, 1_000_000, "fans who join the waiting room before the sale opens: at least as many as seats, so that a queue is left at the sold-out"),
                options.Int("join-concurrency", 256, 1, 4_096, "joins in flight at once (closed loop)"),
                options.Int("admissions-per-minute", 6_000, 60, 1_000_000, "the drop's admission rate: a rate this box's holds keep up with"),
                TimeSpan.FromMilliseconds(options.Int("poll-ms", 1_000, 100, 10_000, "how often a fan near the front reads its place (the gateway allows 30 in 10 s per fan)")),
                TimeSpan.FromSeconds(options.Int("lookahead-seconds", 3, 1, 60, "a fan starts reading its place this many seconds of admissions before its turn")),
                TimeSpan.FromSeconds(options.Int("sale-opens-in-seconds", 0, 0, 3_600, "from publishing the drop to its sale's opening (0: the fans at 0.6 x the warm-up's joins/s, plus 20 s)")),
                TimeSpan.FromSeconds(options.Int("phase-seconds", 600, 30, 3_600, "stop the sale that has not sold out after this long"))),
            Servers.Read(options)));

    private static readonly TimeSpan SetUpAllowance = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DrawTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MeterStart = TimeSpan.FromSeconds(14);
    private static readonly Venue WarmUpVenue = new(4 * Venue.SeatsPerSection);
    private const int WarmUpFans = 2_000;
    private const int SoldOutSample = 1_000;
    private const int SampleInFlight = 32;
    private const int ReleaseInFlight = 64;

    private static QueueSaleBenchmark Create(Venue venue, SaleQueueLoad load, Servers servers) => load.Fans >= venue.Capacity
        ? new QueueSaleBenchmark(venue, load, servers)
        : throw new UsageException($"--fans ({load.Fans:N0}) must be at least --seats ({venue.Capacity:N0}): a queue must be left when the venue is held out.");

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = new Report(output);
        await using var platform = await PlatformSession.StartAsync(servers, load.JoinInFlight * 2, report, cancellationToken);
        var client = platform.Client;
        var groups = SystemProcesses.Platform(await DatabaseActivity.SystemDatabasesAsync(servers, cancellationToken), []);
        string Fan(string group, int index) => $"bench-{RunInfo.Tag}-s{group}{index}";
        var fans = Enumerable.Range(0, load.Fans).Select(index => Fan("f", index)).ToArray();

        report.Section("Setting up");
        BenchTokens.Prepare(fans.Concat(Enumerable.Range(0, WarmUpFans).Select(index => Fan("w", index))));
        var warmUpDrop = await QueuePhases.PublishDropAsync(report, client, WarmUpVenue, "warm-up", DateTimeOffset.UtcNow.AddHours(2), load.AdmissionsPerMinute, cancellationToken);
        var warmUp = await QueuePhases.ClosedAsync(report, "warm-up joins, not measured", "join", WarmUpFans, load.JoinInFlight,
            (i, token) => client.JoinQueueAsync(warmUpDrop, Fan("w", i), token), null, cancellationToken);
        await client.PauseQueueAsync(warmUpDrop, cancellationToken);
        var lead = load.SaleOpensIn > TimeSpan.Zero ? load.SaleOpensIn : SetUpAllowance + TimeSpan.FromSeconds(load.Fans / Math.Max(50, warmUp.PerSecond * 0.6));
        var saleOpensAt = DateTimeOffset.UtcNow + lead;
        var dropId = await QueuePhases.PublishDropAsync(report, client, venue, "flash sale", saleOpensAt, load.AdmissionsPerMinute, cancellationToken);

        report.Section($"Joins: {load.Fans:N0} fans join the waiting room through the gateway, {load.JoinInFlight} in flight, before the sale opens");
        var entries = new Guid[load.Fans];
        var joins = await QueuePhases.ClosedAsync(report, "joins", "join", load.Fans, load.JoinInFlight, async (i, token) =>
        {
            var answer = await client.JoinQueueAsync(dropId, fans[i], token);
            entries[i] = answer.Entry?.EntryId ?? Guid.Empty;
            return answer;
        }, groups, cancellationToken);
        var beforeOpening = saleOpensAt - DateTimeOffset.UtcNow;
        report.Line(beforeOpening > TimeSpan.Zero
            ? $"the last join answered {beforeOpening.TotalSeconds:F0} s before the sale's opening"
            : $"the joins ended {-beforeOpening.TotalSeconds:F0} s after the sale's opening: later fans queue behind the drawn ones");
        report.Checks.Check(joins.AllAnswered(201) && entries.Distinct().Count() == load.Fans && !entries.Contains(Guid.Empty),
            $"every join answered 201 with its own place: {joins.Tally}; {entries.Where(entry => entry != Guid.Empty).Distinct().Count():N0} distinct places");

        report.Section("The sale opens: the draw, recomputed from the published seed");
        // The cost meter needs its settling time before it starts: started that long before the opening, it counts the sale, not the wait.
        if (saleOpensAt - MeterStart - DateTimeOffset.UtcNow is { Ticks: > 0 } idle)
        {
            await Task.Delay(idle, cancellationToken);
        }

        var meter = await platform.MeasureAsync([], cancellationToken);
        var (draw, order) = await DrawAsync(report, client, dropId, saleOpensAt, entries, cancellationToken);

        report.Section($"Admission and holds: the queue admits {load.AdmissionsPerMinute:N0} a minute; admitted fans hold a best-available pair with their pass");
        var lookahead = Math.Max(10, (int)Math.Ceiling(load.AdmissionsPerMinute / 60.0 * load.Lookahead.TotalSeconds));
        var front = new AdmittedFans(client, dropId, order.Fans.Select(fan => fans[fan]).ToList(), load.PollInterval, lookahead);
        var sale = front.Sale();
        await using (report.Progress(() => $"admitted {front.Final?.Admitted:N0}, fans reading their place {front.Started - front.Outcomes.Count:N0}, " +
                                           $"holds {sale.Attempts.Count(attempt => attempt.Answer.Outcome == HoldOutcome.Held):N0}", TimeSpan.FromSeconds(10)))
        {
            await front.RunAsync(sale, load.Cap, cancellationToken);
        }

        var cost = await meter.StopAsync(cancellationToken);
        var result = Measure(report, front, sale, cost, DateTimeOffset.UtcNow - saleOpensAt);
        await VerifyAsync(report, client, dropId, fans, front, sale, order, cancellationToken);
        report.Checks.Check(front.Final?.Joined == load.Fans, $"the drop counts every fan once: joined {front.Final?.Joined:N0} of {load.Fans:N0}");

        Summarize(report, joins, draw, result);
        report.Section("Releasing the holds (not measured) after pausing the queue, so that their expiry does not land in a later run");
        await client.PauseQueueAsync(dropId, cancellationToken);
        await HoldReleases.ReleaseAsync(report, client, sale.Attempts, ReleaseInFlight, cancellationToken);
        return report.Summary();
    }

    /// <summary>Waits for the room's draw; checks the seed against its commitment and that every fan who joined before the opening is in it.</summary>
    private async Task<(PublishedDraw Draw, ExpectedOrder Order)> DrawAsync(
        Report report, PlatformClient client, Guid dropId, DateTimeOffset saleOpensAt, IReadOnlyList<Guid> entries, CancellationToken cancellationToken)
    {
        if (saleOpensAt - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }

        PublishedDraw? draw = null;
        await PlatformClient.PollAsync("draw", DrawTimeout, async token =>
        {
            draw = (await client.QueueDrawAsync(dropId, token)).FirstOrDefault(room => room.Seed is not null);
            return draw is not null;
        }, cancellationToken);
        var order = QueueOrder.Recompute(draw!, entries);
        report.Line($"drawn {(draw!.DrawnAt!.Value - saleOpensAt).TotalSeconds:F1} s after the opening: {draw.PreOpeningEntryIds!.Count:N0} pre-opening entries published with the seed");
        report.Checks.Check(order.CommitmentHolds, "the published seed matches the commitment published when the room opened (SHA-256)");
        report.Checks.Check(order.Drawn == draw.PreOpeningEntryIds.Count && order.Drawn <= load.Fans,
            $"the pre-opening entries are the benchmark's fans: {order.Drawn:N0} of {draw.PreOpeningEntryIds.Count:N0} ({load.Fans - order.Drawn:N0} fans joined after the opening)");
        return (draw, order);
    }

    private sealed record SaleFigures(
        int Holds, double HoldsPerSecond, Stats HoldLatency, Stats AdmittedToHeld, double AdmittedPerMinute, int PlaceReads, Stats PlaceLatency, PhaseCost Cost);

    /// <param name="sinceOpening">From the sale's opening until the front of the queue was done.</param>
    private SaleFigures Measure(Report report, AdmittedFans front, PairSale sale, PhaseCost cost, TimeSpan sinceOpening)
    {
        var attempts = sale.Attempts.ToList();
        var held = attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToList();
        var toLastHold = held.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(attempts.Min(attempt => attempt.SentAt), held.Max(attempt => attempt.AnsweredAt));
        var admitted = front.Admissions.Where(sample => sample.Admitted > 0).ToList();
        var last = admitted.FirstOrDefault(sample => sample.Admitted == front.Final?.Admitted);
        var admittedPerMinute = admitted.Count < 2 || last.At <= admitted[0].At ? 0 : (last.Admitted - admitted[0].Admitted) / Stopwatch.GetElapsedTime(admitted[0].At, last.At).TotalMinutes;
        var reads = front.Reads.ToList();
        var figures = new SaleFigures(
            held.Count,
            Stats.Rate(held.Count, toLastHold),
            new Stats(attempts.Select(attempt => attempt.LatencyMs)),
            new Stats(front.Outcomes.Select(outcome => outcome.AdmittedToHeldMs).OfType<double>()),
            admittedPerMinute,
            reads.Count,
            new Stats(reads.Select(read => read.Milliseconds)),
            cost);
        report.Line($"{front.Final?.Admitted:N0} fans admitted, at {admittedPerMinute:N0} a minute measured ({load.AdmissionsPerMinute:N0} configured); {front.Started:N0} fans read their place, " +
                    $"{reads.Count:N0} reads: {Report.Tally(reads.Select(read => read.Status))}, {figures.PlaceLatency.Milliseconds()}");
        report.Line($"{held.Count:N0} holds in {toLastHold.TotalSeconds:F1} s = {figures.HoldsPerSecond:F0} holds/s; {attempts.Count:N0} hold answers: {Report.Tally(attempts.Select(attempt => attempt.Answer.Status))}");
        report.Line($"hold latency while admitting: {figures.HoldLatency.Milliseconds()}; admitted (by the queue's clock) -> pair held: {figures.AdmittedToHeld.Milliseconds()}");
        report.Line($"the fans' waits ended: {Report.Tally(front.Outcomes.Select(outcome => outcome.Status))}; still reading their place at the end: {front.StillWaiting:N0}; " +
                    $"the front of the queue done {sinceOpening.TotalSeconds:F0} s after the opening");
        report.Cost("hold", held.Count, cost);
        return figures;
    }

    private void Summarize(Report report, PhaseResult joins, PublishedDraw draw, SaleFigures sale)
    {
        report.Section("Figures");
        var admittedPerSecond = sale.AdmittedPerMinute / 60;
        report.Figure($"joins before the sale ({joins.Succeeded:N0} fans, {joins.Load})", $"{joins.Rate}, {joins.Latency.Percentiles()}");
        report.Figure("draw of the pre-opening fans", $"{draw.PreOpeningEntryIds!.Count:N0} drawn {(draw.DrawnAt!.Value - draw.SaleOpensAt).TotalSeconds:F1} s after the opening");
        report.Figure("admissions (measured / configured)", $"{sale.AdmittedPerMinute:N0} / {load.AdmissionsPerMinute:N0} a minute");
        report.Figure("**holds/s while the queue admits** (best-available pairs, to the last hold)", $"**{sale.HoldsPerSecond:F0}** ({sale.HoldsPerSecond / Math.Max(1e-9, admittedPerSecond):F2} x the admissions/s)");
        report.Figure($"hold latency at that load ({sale.Holds:N0} holds)", sale.HoldLatency.Percentiles());
        report.Figure($"admitted (by the queue's clock) -> pair held, the fan reading its place every {load.PollInterval.TotalSeconds:F1} s", sale.AdmittedToHeld.Percentiles());
        report.Figure($"place reads of fans near the front ({sale.PlaceReads:N0}, one a fan every {load.PollInterval.TotalSeconds:F1} s)", sale.PlaceLatency.Percentiles());
        report.Figure("CPU ms per hold, reads and admission included: system (whole box)", sale.Cost.CpuPer(sale.Holds));
        report.Figure("holds/s the cores would carry at that CPU per hold (cores ÷ system ms)", sale.Cost.CpuBoundRate(sale.Holds));
        report.Figure("rows written / broker deliveries per hold", $"{sale.Cost.RowsPer(sale.Holds)} / {sale.Cost.DeliveriesPer(sale.Holds)}");
    }

    /// <summary>The checks of the sale: the queue's order and its sold-out, nothing refused to an admitted fan, nothing oversold.</summary>
    private async Task VerifyAsync(
        Report report, PlatformClient client, Guid dropId, IReadOnlyList<string> fans, AdmittedFans front, PairSale sale, ExpectedOrder order, CancellationToken cancellationToken)
    {
        var checks = report.Checks;
        var admittedCount = front.Final?.Admitted ?? 0;
        var seenAdmitted = front.Outcomes.Where(outcome => outcome.Status == EntryStatus.Admitted).Select(outcome => outcome.FanId).ToList();
        var firstFans = order.Fans.Take(admittedCount).Select(fan => fans[fan]).ToHashSet(StringComparer.Ordinal);
        checks.Check(seenAdmitted.Count == admittedCount && firstFans.SetEquals(seenAdmitted),
            $"fans admitted exactly in the recomputed order, each once: {seenAdmitted.Count:N0} seen admitted, {admittedCount:N0} counted; {seenAdmitted.Count(fanId => !firstFans.Contains(fanId))} out of order");
        var reads = front.Reads.ToList();
        checks.Check(reads.All(read => read.Status == 200), $"every place read of a fan near the front answered 200 (no 429, 5xx or failure): {Report.Tally(reads.Select(read => read.Status))}");
        var refused = sale.Attempts.Where(attempt => attempt.Answer.Outcome is not (HoldOutcome.Held or HoldOutcome.NotEnoughSeats)).ToList();
        checks.Check(refused.Count == 0, $"every hold of an admitted fan answered 201, or 409 not enough seats left (no 403, 429, 5xx or failure): {refused.Count} others" +
                                         (refused.Count > 0 ? $", first {refused[0].Answer.Status} {refused[0].Answer.Error}" : ""));

        var given = sale.Attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).SelectMany(attempt => attempt.Answer.SeatIds).ToList();
        await Task.Delay(PlatformClient.SeatMapFreshness, cancellationToken);
        var heldSeats = (await client.SeatMapAsync(dropId, cancellationToken)).Where(seat => seat.Value == "held").Select(seat => seat.Key).ToHashSet(StringComparer.Ordinal);
        checks.Check(given.Count == given.Distinct().Count(), $"oversold 0: {given.Count - given.Distinct().Count()} seats given in two holds");
        checks.Check(heldSeats.SetEquals(given), $"the seat map holds exactly the seats given: {heldSeats.Count:N0} held, {given.Count:N0} given");
        checks.Check(heldSeats.Count == venue.Capacity, $"the venue held out: {venue.Capacity - heldSeats.Count:N0} of {venue.Capacity:N0} seats left");
        checks.Check(front.Final?.SoldOut == true, "the queue knows the drop sold out");

        // Fans behind the front never read their place during the sale; a sample of them now.
        var behind = order.Fans.Skip(front.Started).ToArray();
        Random.Shared.Shuffle(behind);
        var told = new string?[Math.Min(SoldOutSample, behind.Length)];
        var sample = await QueuePhases.ClosedAsync(report, $"place reads of {told.Length:N0} random fans behind the front", "read", told.Length, SampleInFlight, async (i, token) =>
        {
            var answer = await client.QueuePlaceAsync(dropId, fans[behind[i]], token);
            told[i] = answer.Entry?.Status;
            return answer;
        }, null, cancellationToken);
        checks.Check(sample.AllAnswered(200) && told.All(status => status == EntryStatus.SoldOut), $"the fans still waiting are told sold out: {Report.Tally(told.Select(status => status ?? "no place"))}");
    }
}
