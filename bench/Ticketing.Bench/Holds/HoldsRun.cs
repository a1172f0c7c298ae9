using System.Diagnostics;
using Npgsql;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Holds;

/// <summary>What a sale phase measured, and what was seen around the system while it ran.</summary>
internal sealed record SalePhase(
    string Label,
    string Where,
    Guid ConcertId,
    TimeSpan BuildTime,
    SaleResult Sale,
    int Holds,
    int SeatsHeld,
    TimeSpan ToLastHold,
    double HoldRate,
    double SeatRate,
    double AnswerRate,
    Stats Latency,
    Stats SendLag,
    IReadOnlyDictionary<HoldOutcome, int> Outcomes,
    CpuUsage? Cpu,
    PostgresActivitySampler? Waits,
    DatabaseActivity? Database);

internal sealed class HoldsRun(HoldsSettings settings) : IBenchmarkRun
{
    /// <summary>The Tickets service's database and its queue for ConcertPublished (see services/Tickets).</summary>
    private const string TicketsDatabase = "ticketing_tickets";
    private const string InventoryQueue = "tickets-open-inventory";

    private const int WarmUpReads = 64;
    private const int ReleaseConcurrency = 64;
    private static readonly TimeSpan RelayTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan WaitSampleInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CeilingTimeout = TimeSpan.FromMinutes(5);

    private const string TicketsCpu = "Tickets";
    private const string GatewayCpu = "Gateway";
    private static readonly string TicketsDatabaseCpu = SystemProcesses.BackendsOf(TicketsDatabase);

    private static readonly ProcessGroup[] CpuGroups =
    [
        SystemProcesses.TheBench(),
        SystemProcesses.Service(GatewayCpu),
        SystemProcesses.Service(TicketsCpu),
        SystemProcesses.PostgresBackends(TicketsDatabase),
        SystemProcesses.PostgresBackends("ticketing_insights"),
        SystemProcesses.OtherPostgres(),
        SystemProcesses.Broker(),
        SystemProcesses.Services("Catalog, Orders", "Catalog", "Orders"),
        SystemProcesses.Service("Insights"),
    ];

    private readonly Servers servers = settings.Servers;
    private readonly Venue venue = new(settings.Seats);
    private readonly string runTag = Guid.NewGuid().ToString("N")[..8];

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var connections = settings.Fans + WarmUpReads;
        using var gateway = new TicketsApi(TicketsApi.CreateClient(connections), servers.Gateway);
        using var direct = new TicketsApi(TicketsApi.CreateClient(connections), settings.Tickets);
        using var management = new RabbitMqManagement(servers.RabbitMqManagement, servers.VirtualHost);
        await using var postgres = servers.Database("postgres", 2);
        await using var tickets = servers.Database(TicketsDatabase, 2);
        await PrintSystemAsync(output, management, postgres, cancellationToken);

        var checks = new Checks(output);
        var viaGateway = await SaturationAsync(output, checks, "A1", "through the gateway", gateway, gateway, management, postgres, tickets, cancellationToken);
        var viaService = await SaturationAsync(output, checks, "A2", "directly against Tickets", gateway, direct, management, postgres, tickets, cancellationToken);
        var openLoop = await OpenLoopAsync(output, checks, gateway, management, tickets, viaGateway.AnswerRate, cancellationToken);
        var sql = await CeilingAsync(output, checks, cancellationToken);
        PrintSummary(output, viaGateway, viaService, openLoop, sql, checks);
        PrintWhereTheTimeGoes(output, viaGateway, sql);
        PrintWhereTheTimeGoes(output, viaService, sql);
        return checks.AllPassed;
    }

    private async Task PrintSystemAsync(TextWriter output, RabbitMqManagement management, NpgsqlDataSource postgres, CancellationToken cancellationToken)
    {
        await using var version = postgres.CreateCommand("SHOW server_version");
        var queue = await management.QueueAsync(InventoryQueue, cancellationToken)
            ?? throw new InvalidOperationException($"Queue {InventoryQueue} does not exist: is the system running (./ticketing up -d)?");
        output.WriteLine($"  RabbitMQ     {await management.VersionAsync(cancellationToken)}; PostgreSQL {await version.ExecuteScalarAsync(cancellationToken)}");
        output.WriteLine($"  Tickets      {settings.Tickets} directly; queue {InventoryQueue}: {queue.Consumers} consumer(s)");
        output.WriteLine($"  venue        {venue.Capacity:N0} seats: {venue.Sections} sections of {Venue.RowsPerSection} rows x {Venue.SeatsPerRow}, " +
                         $"tiers {string.Join(", ", Venue.Tiers.Select((tier, index) => $"{tier.Code} ({Enumerable.Range(0, venue.Sections).Count(section => venue.TierOfSection(section) == index)} sections)"))}; 4 tickets per fan");
        output.WriteLine($"  requests     {settings.SpecificPercent}% a specific pair in one row (from the fans' shared view of the map, re-read every " +
                         $"{(settings.MapRefreshMs > 0 ? $"{settings.MapRefreshMs} ms" : "never")}), {100 - settings.SpecificPercent}% best {SeatView.Quantity} of a tier; a new fan (own token) each");
        output.WriteLine();
    }

    /// <summary>A fresh concert through the gateway: drafted, published, and its inventory built by Tickets.</summary>
    private async Task<(Guid ConcertId, TimeSpan BuildTime)> NewConcertAsync(
        TextWriter output, TicketsApi gateway, NpgsqlDataSource tickets, string purpose, CancellationToken cancellationToken)
    {
        var (concertId, publishedAt) = await gateway.CreateConcertAsync(venue, $"Bench {runTag} {purpose}", cancellationToken);
        var built = await gateway.WaitForInventoryAsync(concertId, publishedAt, settings.BuildTimeout, cancellationToken);
        var (behind, relayWait) = await OutboxRelay.WaitUntilCaughtUpAsync(tickets, RelayTimeout, cancellationToken);
        output.WriteLine($"  concert {concertId}: inventory of {venue.Capacity:N0} seats built {built.TotalSeconds:F1} s after publishing " +
                         $"(availability answered 200); Tickets' outbox relay caught up {relayWait.TotalSeconds:F1} s later" +
                         (behind > 0 ? $" (NOT: still {behind} events behind)" : ""));
        return (concertId, built);
    }

    /// <summary>Closed loop until sold out: the throughput of holds, and where the time went.</summary>
    private async Task<SalePhase> SaturationAsync(
        TextWriter output, Checks checks, string label, string where, TicketsApi gateway, TicketsApi api, RabbitMqManagement management,
        NpgsqlDataSource postgres, NpgsqlDataSource tickets, CancellationToken cancellationToken)
    {
        output.WriteLine($"== Phase {label}: saturation {where} ({api.BaseAddress}): {settings.Fans} fans in a closed loop until sold out ==");
        var (concertId, buildTime) = await NewConcertAsync(output, gateway, tickets, label, cancellationToken);
        var warmUp = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, settings.Fans).Select(_ => api.TouchAsync(cancellationToken)));
        output.WriteLine($"  warm-up: {settings.Fans} reads of unknown holds (404) at once in {Stopwatch.GetElapsedTime(warmUp).TotalSeconds:F1} s (opens the connections; not measured)");

        var errorsBefore = await management.ErrorQueuesAsync(cancellationToken);
        var waits = new PostgresActivitySampler();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = waits.RunAsync(postgres, TicketsDatabase, WaitSampleInterval, sampling.Token);
        var databaseBefore = await DatabaseActivity.ReadAsync(postgres, TicketsDatabase, cancellationToken);
        var cpu = CpuMeter.Start(CpuGroups);

        var sale = new FlashSale(api, venue, concertId, new SeatView(venue), settings.SpecificPercent, settings.MapRefresh);
        var result = await sale.RunClosedAsync(settings.Fans, $"bench-{runTag}-{label}", settings.PhaseCap, settings.MaxRequests, cancellationToken);

        var cpuUsage = cpu?.Stop();
        await sampling.CancelAsync();
        await SamplerAsync(output, sampler);
        var phase = Measure(label, where, concertId, buildTime, result, cpuUsage, waits, database: null);
        PrintPhase(output, phase, $"closed loop, {settings.Fans} in flight: queueing (Little's law: ~{settings.Fans} / {phase.AnswerRate:F0} per s)");

        var verifiedAt = Stopwatch.GetTimestamp();
        await VerifyAsync(output, checks, api, management, phase, errorsBefore, expectSoldOut: true, cancellationToken);
        var flush = DatabaseActivity.FlushDelay - Stopwatch.GetElapsedTime(verifiedAt);
        if (flush > TimeSpan.Zero)
        {
            await Task.Delay(flush, cancellationToken);
        }

        phase = phase with { Database = await DatabaseActivity.ReadAsync(postgres, TicketsDatabase, cancellationToken) - databaseBefore };
        await ReleaseAsync(output, api, phase, cancellationToken);
        output.WriteLine();
        return phase;
    }

    /// <summary>Open loop at --rate per second through the gateway: latency at a stated load.</summary>
    private async Task<SalePhase> OpenLoopAsync(
        TextWriter output, Checks checks, TicketsApi gateway, RabbitMqManagement management, NpgsqlDataSource tickets, double saturationRate,
        CancellationToken cancellationToken)
    {
        var arrivals = settings.Rate * settings.DurationSeconds;
        output.WriteLine($"== Phase B: latency at a stated load: open loop through the gateway, {settings.Rate} arrivals/s for {settings.DurationSeconds} s ({arrivals} holds of {SeatView.Quantity}) ==");
        var (concertId, buildTime) = await NewConcertAsync(output, gateway, tickets, "B", cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, WarmUpReads).Select(_ => gateway.TouchAsync(cancellationToken)));
        var errorsBefore = await management.ErrorQueuesAsync(cancellationToken);
        var cpu = CpuMeter.Start(CpuGroups);

        var sale = new FlashSale(gateway, venue, concertId, new SeatView(venue), settings.SpecificPercent, settings.MapRefresh);
        var result = await sale.RunOpenAsync(settings.Rate, arrivals, $"bench-{runTag}-B", cancellationToken);

        var phase = Measure("B", "through the gateway", concertId, buildTime, result, cpu?.Stop(), waits: null, database: null);
        PrintPhase(output, phase, $"open loop at {settings.Rate}/s; scheduled arrival to answer");
        output.WriteLine($"  send lag      {phase.SendLag.Milliseconds()}  [the generator's lateness behind the schedule, included above]");
        if (saturationRate > 0 && settings.Rate > 0.8 * saturationRate)
        {
            output.WriteLine($"  NOTE          {settings.Rate}/s is {settings.Rate / saturationRate:P0} of the {saturationRate:F0} answers/s phase A1 sustained: not a");
            output.WriteLine("                modest load here, so this latency is mostly queueing too. A lower --rate gives the latency with headroom.");
        }

        await VerifyAsync(output, checks, gateway, management, phase, errorsBefore, expectSoldOut: false, cancellationToken);
        await ReleaseAsync(output, gateway, phase, cancellationToken);
        output.WriteLine();
        return phase;
    }

    /// <summary>The database's ceiling for this work, --ceiling-runs times; the median counts.</summary>
    private async Task<SeatClaimCeilingResult> CeilingAsync(TextWriter output, Checks checks, CancellationToken cancellationToken)
    {
        output.WriteLine($"== Ceiling, same run: {venue.Capacity:N0} single-seat claims, one conditional UPDATE each, median of {settings.CeilingRuns} ==");
        var runs = new List<SeatClaimCeilingResult>();
        for (var run = 0; run < settings.CeilingRuns; run++)
        {
            runs.Add(await SqlCeiling.MeasureSeatClaimsAsync(servers, venue.Capacity, venue.Capacity, settings.SqlConnections, CeilingTimeout, cancellationToken));
        }

        var median = runs.OrderBy(result => result.ClaimRate).ElementAt(runs.Count / 2);
        output.WriteLine($"  SQL         {median.ClaimRate:F0} claims/s (runs: {string.Join(", ", runs.Select(result => result.ClaimRate.ToString("F0")))})");
        output.WriteLine($"              UPDATE bench_seats SET holder = $1 WHERE id = $2 AND holder IS NULL, autocommit, prepared, {median.Connections} connections,");
        output.WriteLine($"              each of {median.Seats:N0} seats once in random order (every claim writes and commits), database {SqlCeiling.ScratchDatabase}");
        checks.Check(
            runs.All(result => result.IsCorrect),
            $"SQL ceiling: every claim took its seat and the table holds exactly those in every run ({string.Join(", ", runs.Select(result => $"{result.Claimed}/{result.Claims} claimed, {result.RowsHeld} rows held"))})");
        output.WriteLine();
        return median;
    }

    private static SalePhase Measure(
        string label, string where, Guid concertId, TimeSpan buildTime, SaleResult sale, CpuUsage? cpu, PostgresActivitySampler? waits, DatabaseActivity? database)
    {
        var attempts = sale.Attempts;
        var held = attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToList();
        var toLastHold = held.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(sale.StartedAt, held.Max(attempt => attempt.AnsweredAt));
        var toLastAnswer = attempts.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(sale.StartedAt, attempts.Max(attempt => attempt.AnsweredAt));
        var seats = held.Sum(attempt => attempt.Answer.SeatIds.Count);
        return new SalePhase(
            label,
            where,
            concertId,
            buildTime,
            sale,
            held.Count,
            seats,
            toLastHold,
            Stats.Rate(held.Count, toLastHold),
            Stats.Rate(seats, toLastHold),
            Stats.Rate(attempts.Count, toLastAnswer),
            new Stats(attempts.Select(attempt => attempt.LatencyMs)),
            new Stats(attempts.Select(attempt => attempt.SendLagMs)),
            attempts.GroupBy(attempt => attempt.Answer.Outcome).ToDictionary(group => group.Key, group => group.Count()),
            cpu,
            waits,
            database);
    }

    private static void PrintPhase(TextWriter output, SalePhase phase, string latencyNote)
    {
        var attempts = phase.Sale.Attempts;
        output.WriteLine($"  ended         {phase.Sale.End} after {Stopwatch.GetElapsedTime(phase.Sale.StartedAt, attempts.Count == 0 ? phase.Sale.StartedAt : attempts.Max(attempt => attempt.AnsweredAt)).TotalSeconds:F1} s; " +
                         $"{attempts.Count} requests ({attempts.Count(attempt => attempt.Wish.IsSpecific)} specific pairs, {attempts.Count(attempt => !attempt.Wish.IsSpecific)} best available); " +
                         $"seat map read {phase.Sale.MapReads} times ({phase.Sale.MapFailures} failed)");
        output.WriteLine($"  throughput    {phase.HoldRate:F0} holds/s = {phase.SeatRate:F0} seats/s ({phase.Holds} holds, {phase.SeatsHeld} seats / {phase.ToLastHold.TotalSeconds:F2} s from the first request to the last 201)");
        output.WriteLine($"  answers/s     {phase.AnswerRate:F0} (every answer, refusals included)");
        output.WriteLine($"  answers       {Outcomes(phase)}");
        output.WriteLine($"  latency       {phase.Latency.Milliseconds()}  [all answers; {latencyNote}]");
        output.WriteLine($"                {new Stats(attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).Select(attempt => attempt.LatencyMs)).Milliseconds()}  [201 only]");
        if (phase.Sale.Reopened.Count > 0)
        {
            output.WriteLine($"  NOTE          tiers refused 'Not enough seats left' {SeatView.ExhaustedAfter}x in a row while the map still showed seats: {string.Join("; ", phase.Sale.Reopened)}");
        }

        if (phase.Sale.NoWish > 0)
        {
            output.WriteLine($"  idle          fans found nothing to ask for {phase.Sale.NoWish} times (waiting for the sold-out check)");
        }

        output.WriteLine($"  CPU           {phase.Cpu?.ToString() ?? "not measured (no /proc)"}");
        var errors = attempts.Where(attempt => attempt.Answer.Error is not null && attempt.Answer.Outcome is not HoldOutcome.OtherConflict).ToList();
        if (errors.Count > 0)
        {
            output.WriteLine($"  first error   {errors[0].Answer.Status}: {errors[0].Answer.Error}");
        }
    }

    private static string Outcomes(SalePhase phase) => string.Join(", ", phase.Outcomes.OrderBy(entry => entry.Key).Select(entry => $"{Describe(entry.Key)} {entry.Value}"));

    private static string Describe(HoldOutcome outcome) => outcome switch
    {
        HoldOutcome.Held => "201 held",
        HoldOutcome.SeatsTaken => "409 seats taken",
        HoldOutcome.NotEnoughSeats => "409 not enough seats",
        HoldOutcome.OtherConflict => "409 other",
        HoldOutcome.OverLimit => "422 over limit",
        HoldOutcome.Throttled => "429",
        HoldOutcome.ServerError => "5xx",
        HoldOutcome.OtherStatus => "other status",
        _ => "no answer (transport error)",
    };

    /// <summary>
    /// Reads the seat map (after its 500 ms cache) and checks it against the 201 answers: no seat in two holds,
    /// every held seat given in exactly one 201 and every 201's seats held; and that nothing failed on the server.
    /// </summary>
    private async Task VerifyAsync(
        TextWriter output, Checks checks, TicketsApi api, RabbitMqManagement management, SalePhase phase,
        IReadOnlyDictionary<string, long> errorsBefore, bool expectSoldOut, CancellationToken cancellationToken)
    {
        await Task.Delay(FlashSale.MapFreshness, cancellationToken);
        var map = await api.SeatMapAsync(venue, phase.ConcertId, cancellationToken);
        var errorsAfter = await management.ErrorQueuesAsync(cancellationToken);
        var held = phase.Sale.Attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToList();

        var timesGiven = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var seatId in held.SelectMany(attempt => attempt.Answer.SeatIds))
        {
            timesGiven[seatId] = timesGiven.GetValueOrDefault(seatId) + 1;
        }

        var shownHeld = Enumerable.Range(0, venue.Capacity)
            .Where(index => map.Status[index] is SeatMapView.Held or SeatMapView.Sold)
            .Select(index => venue.SeatIds[index])
            .ToHashSet(StringComparer.Ordinal);
        var oversold = timesGiven.Count(entry => entry.Value > 1);
        var notShownHeld = timesGiven.Keys.Count(seatId => !shownHeld.Contains(seatId));
        var heldWithoutAnswer = shownHeld.Count(seatId => !timesGiven.ContainsKey(seatId));
        var wrongSeats = held.Count(attempt => !HoldsWhatWasAsked(attempt));
        var sameHoldTwice = held.GroupBy(attempt => attempt.Answer.HoldId).Count(group => group.Count() > 1);
        var failed = phase.Sale.Attempts.Count(attempt => attempt.Answer.Outcome is HoldOutcome.ServerError or HoldOutcome.TransportError or HoldOutcome.OtherStatus);
        var newErrors = errorsAfter.Where(queue => queue.Value > errorsBefore.GetValueOrDefault(queue.Key)).Select(queue => $"{queue.Key} +{queue.Value - errorsBefore.GetValueOrDefault(queue.Key)}").ToList();
        var available = map.Count(SeatMapView.Available);

        var availableByTier = Venue.Tiers.Select((tier, index) =>
            $"{tier.Code} {Enumerable.Range(0, venue.Capacity).Count(seat => venue.TierOfSeat(seat) == index && map.Status[seat] == SeatMapView.Available)}");
        output.WriteLine($"  seat map now: {available} available ({string.Join(", ", availableByTier)}), {map.Count(SeatMapView.Held)} held, {map.Count(SeatMapView.Sold)} sold" +
                         $"{(map.Count(SeatMapView.Missing) + map.UnknownSeats > 0 ? $", {map.Count(SeatMapView.Missing)} missing, {map.UnknownSeats} unknown" : "")}");
        output.WriteLine("  correctness:");
        checks.Check(oversold == 0, $"oversold seats (in more than one 201 answer): {oversold}");
        checks.Check(notShownHeld == 0, $"every seat of every 201 shows held in the seat map ({timesGiven.Count} seats in {held.Count} holds; {notShownHeld} do not)");
        checks.Check(heldWithoutAnswer == 0, $"every seat the map shows held was given in a 201 ({shownHeld.Count} held; {heldWithoutAnswer} without one)");
        checks.Check(wrongSeats == 0, $"every 201 holds what was asked: the pair asked for, or {SeatView.Quantity} seats of the tier asked for ({wrongSeats} do not)");
        checks.Check(sameHoldTwice == 0, $"every 201 names a different hold ({sameHoldTwice} hold ids given twice)");
        checks.Check(failed == 0, $"every request answered without a server error ({failed} 5xx, transport errors or unexpected statuses)");
        checks.Check(phase.Outcomes.GetValueOrDefault(HoldOutcome.OverLimit) == 0, $"no 422 over the limit (every request is a new fan): {phase.Outcomes.GetValueOrDefault(HoldOutcome.OverLimit)}");
        checks.Check(map.Count(SeatMapView.Missing) == 0 && map.UnknownSeats == 0, $"the seat map lists exactly the venue's {venue.Capacity} seats");
        if (expectSoldOut && phase.Sale.End == SaleEnd.SoldOut)
        {
            checks.Check(available == 0, $"sold out when the fans stopped: {available} seats still available");
        }
        else if (expectSoldOut)
        {
            output.WriteLine($"    NOTE    not sold out: the phase stopped at {phase.Sale.End} with {available} seats available; the throughput is over the holds made");
        }

        checks.Check(newErrors.Count == 0, $"no new message in any *_error queue{(newErrors.Count > 0 ? ": " + string.Join(", ", newErrors) : "")}");
    }

    private bool HoldsWhatWasAsked(HoldAttempt attempt)
    {
        var seats = attempt.Answer.SeatIds;
        if (seats.Count != SeatView.Quantity || seats.Distinct(StringComparer.Ordinal).Count() != seats.Count)
        {
            return false;
        }

        if (attempt.Wish.SeatIndexes is { } asked)
        {
            return asked.Select(index => venue.SeatIds[index]).Order(StringComparer.Ordinal).SequenceEqual(seats.Order(StringComparer.Ordinal));
        }

        return seats.All(seatId => venue.TryIndexOf(seatId, out var index) && venue.TierOfSeat(index) == attempt.Wish.Tier);
    }

    /// <summary>
    /// Lets the phase's holds go (not measured), so that their expiry seven minutes later does not land in a
    /// later phase or run.
    /// </summary>
    private static async Task ReleaseAsync(TextWriter output, TicketsApi api, SalePhase phase, CancellationToken cancellationToken)
    {
        var held = phase.Sale.Attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToList();
        var start = Stopwatch.GetTimestamp();
        var released = 0;
        await Parallel.ForEachAsync(
            held,
            new ParallelOptions { MaxDegreeOfParallelism = ReleaseConcurrency, CancellationToken = cancellationToken },
            async (attempt, token) =>
            {
                if (await api.ReleaseHoldAsync(attempt.Answer.HoldId, attempt.FanId, token))
                {
                    Interlocked.Increment(ref released);
                }
            });
        output.WriteLine($"  clean-up: released {released} of {held.Count} holds in {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s " +
                         $"(DELETE, {ReleaseConcurrency} at a time, not measured; so that they do not expire during a later phase or run)");
    }

    private void PrintSummary(TextWriter output, SalePhase gateway, SalePhase direct, SalePhase openLoop, SeatClaimCeilingResult sql, Checks checks)
    {
        output.WriteLine("== Summary ==");
        output.WriteLine("| figure | A1 gateway | A2 Tickets directly |");
        output.WriteLine("| --- | --- | --- |");
        output.WriteLine($"| inventory of {venue.Capacity:N0} seats built (publish to availability 200) | {gateway.BuildTime.TotalSeconds:F1} s | {direct.BuildTime.TotalSeconds:F1} s |");
        output.WriteLine($"| **holds/s**, closed loop, {settings.Fans} fans, until sold out | **{gateway.HoldRate:F0}** | **{direct.HoldRate:F0}** |");
        output.WriteLine($"| seats/s | {gateway.SeatRate:F0} | {direct.SeatRate:F0} |");
        output.WriteLine($"| time to the last hold | {gateway.ToLastHold.TotalSeconds:F1} s | {direct.ToLastHold.TotalSeconds:F1} s |");
        output.WriteLine($"| answers/s (refusals included) | {gateway.AnswerRate:F0} | {direct.AnswerRate:F0} |");
        output.WriteLine($"| answers | {Outcomes(gateway)} | {Outcomes(direct)} |");
        output.WriteLine($"| latency, {settings.Fans} in flight (queueing) | {Percentiles(gateway.Latency)} | {Percentiles(direct.Latency)} |");
        output.WriteLine($"| SQL ceiling, single-seat claims/s ({sql.Connections} connections) | {sql.ClaimRate:F0} | same |");
        output.WriteLine($"| **ratio holds/s ÷ SQL claims/s** | **{gateway.HoldRate / sql.ClaimRate:F3}** | **{direct.HoldRate / sql.ClaimRate:F3}** |");
        output.WriteLine($"| ratio seats/s ÷ SQL claims/s | {gateway.SeatRate / sql.ClaimRate:F3} | {direct.SeatRate / sql.ClaimRate:F3} |");
        output.WriteLine($"| ratio gateway ÷ direct holds/s | {gateway.HoldRate / direct.HoldRate:F2} | |");
        output.WriteLine($"| **latency, open loop {settings.Rate}/s for {settings.DurationSeconds} s, gateway** | **{Percentiles(openLoop.Latency)}** | |");
        output.WriteLine($"| open loop answers | {Outcomes(openLoop)} | |");
        output.WriteLine($"| oversold seats | {Oversold(gateway)} | {Oversold(direct)} (B: {Oversold(openLoop)}) |");
        output.WriteLine($"| correctness | {(checks.AllPassed ? "all checks passed" : $"FAILED ({checks.Failed} checks)")} | |");
        output.WriteLine();
        output.WriteLine($"  target: >= 1,500 holds/s through the gateway: {Target(gateway.HoldRate, 1500, higherIsBetter: true)}");
        output.WriteLine($"  target: p99 < 250 ms (open loop {settings.Rate}/s through the gateway): {Target(openLoop.Latency.P99, 250, higherIsBetter: false)}");
        output.WriteLine();
    }

    private static string Target(double value, double target, bool higherIsBetter) =>
        (higherIsBetter ? value >= target : value < target)
            ? $"met ({value:F0})"
            : $"MISSED ({value:F0}, {Math.Abs(value - target) / target:P0} {(higherIsBetter ? "short" : "over")})";

    private static int Oversold(SalePhase phase) =>
        phase.Sale.Attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held)
            .SelectMany(attempt => attempt.Answer.SeatIds).GroupBy(seatId => seatId).Count(group => group.Count() > 1);

    private static void PrintWhereTheTimeGoes(TextWriter output, SalePhase phase, SeatClaimCeilingResult sql)
    {
        output.WriteLine($"== Where the time goes (phase {phase.Label}, {phase.Where}) ==");
        var holds = Math.Max(1, phase.Holds);
        var answers = Math.Max(1, phase.Sale.Attempts.Count);
        if (phase.Cpu is { } cpu)
        {
            output.WriteLine($"  CPU: {cpu}.");
            output.WriteLine($"  CPU per hold (201): Tickets {cpu.MillisecondsPer(TicketsCpu, holds):F2} ms, its PostgreSQL backends {cpu.MillisecondsPer(TicketsDatabaseCpu, holds):F2} ms, " +
                             $"gateway {cpu.MillisecondsPer(GatewayCpu, holds):F2} ms, RabbitMQ {cpu.MillisecondsPer(SystemProcesses.RabbitMq, holds):F2} ms, " +
                             $"bench {cpu.MillisecondsPer(SystemProcesses.Bench, holds):F2} ms; all {cpu.BoxCores * cpu.Elapsed.TotalMilliseconds / holds:F2} ms of the box's CPU per hold " +
                             $"({cpu.BoxCores * cpu.Elapsed.TotalMilliseconds / answers:F2} ms per answer)");
        }

        if (phase.Database is { } database)
        {
            output.WriteLine($"  {TicketsDatabase}: {(double)database.Commits / holds:F1} transactions committed, {(double)database.Rollbacks / holds:F2} rolled back, " +
                             $"{(double)database.RowsInserted / holds:F1} rows inserted, {(double)database.RowsUpdated / holds:F1} updated per hold " +
                             $"(pg_stat_database, all its clients, background work included); the SQL ceiling does 1 transaction and 1 row per claim at {sql.ClaimRate:F0}/s");
        }

        if (phase.Waits is { Samples: > 0 } waits)
        {
            waits.WriteSummary(output, TicketsDatabase, WaitSampleInterval);
        }

        output.WriteLine();
    }

    private static string Percentiles(Stats latency) =>
        latency.Count == 0 ? "no answers" : $"p50 {latency.P50:F0} / p95 {latency.P95:F0} / p99 {latency.P99:F0} / max {latency.Max:F0} ms";

    private static async Task SamplerAsync(TextWriter output, Task sampler)
    {
        try
        {
            await sampler;
        }
        catch (NpgsqlException exception)
        {
            output.WriteLine($"  (sampling stopped early: {exception.Message})");
        }
    }
}
