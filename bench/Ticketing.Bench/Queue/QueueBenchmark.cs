using Ticketing.Bench.Api;
using Ticketing.Bench.Infrastructure;
using Ticketing.Topology;

namespace Ticketing.Bench.Queue;

/// <summary>How the <c>queue</c> benchmark offers its load.</summary>
internal sealed record QueueLoad(
    int Fans, int JoinInFlight, int StatusReads, int StatusInFlight, int JoinRate, int StatusRate, int OpenLoopSeconds, int DirectFans, string? Wrk, int WrkSeconds);

/// <summary>
/// <c>queue</c>: one drop's waiting room under its crowd (issue 16). A concert with a waiting room is published
/// through the gateway, its sale two hours away, so every join is before the draw and nobody is admitted during the
/// run. Phase 1: --fans fans join, each with its own token, --join-concurrency in flight (closed loop): joins/s,
/// latency, cost per join. Phase 2: --status-reads reads of random fans' places (<c>GET …/entries/mine</c>, answered
/// from the Queue's memory), --status-concurrency in flight. Phase 3: latency at a stated load, open loop: joins at
/// --join-rate and reads at --status-rate a second for --open-loop-seconds (0: half the rate measured at saturation; the
/// reads' rate, half of wrk's, is lowered to 0.7 of what was answered, at most twice, while this process falls behind it).
/// The same run's references: the same joins and reads straight to the Queue (no gateway), <c>/health/live</c> straight
/// to the Queue and through the gateway. Checks: every join 201 and one distinct
/// place per fan, every read 200 with the fan's own place, no 429, 5xx or failure at any load, the drop counts every
/// fan once. With wrk installed (<c>--load-generator wrk</c>, the default where it is), the closed-loop joins (each fan
/// once, stopping at the last answer), reads and ceilings are sent by wrk (reads and ceilings for --wrk-seconds each,
/// every read with the next fan's token in turn); 32 fans then join again and read their place by HttpClient (the same
/// place both times). The warm-up, the open loops and the joins straight to the Queue stay with this process's HttpClient.
/// </summary>
internal sealed class QueueBenchmark(QueueLoad load, Uri queueService, Servers servers) : IBenchmarkRun
{
    public static readonly Benchmark Definition = new("queue",
        "100,000 fans join one drop's waiting room through the gateway; their status reads; beside /health/live and the Queue without the gateway",
        options => new QueueBenchmark(
            new QueueLoad(
                options.Int("fans", 100_000, 100, 1_000_000, "fans who join the drop, each with its own token (closed loop)"),
                options.Int("join-concurrency", 256, 1, 4_096, "joins in flight at once"),
                options.Int("status-reads", 100_000, 100, 10_000_000, "status reads of random fans' places (closed loop)"),
                options.Int("status-concurrency", 128, 1, 4_096, "status reads in flight at once"),
                options.Int("join-rate", 0, 0, 100_000, "stated load for latency: open-loop joins a second by more fans (0: half the joins/s measured at saturation)"),
                options.Int("status-rate", 0, 0, 200_000, "stated load for latency: open-loop status reads a second (0: half the reads/s measured at saturation, lowered to 0.7 of what was answered while this generator falls behind)"),
                options.Int("open-loop-seconds", 5, 1, 600, "seconds of each open-loop phase"),
                options.Int("direct-fans", 10_000, 0, 1_000_000, "reference: fans who join straight at the Queue (no gateway), and as many reads there (0: none)"),
                options.Text("load-generator", Wrk.Find() is null ? "dotnet" : "wrk",
                    "closed-loop reads and ceilings: wrk (installed by ./ticketing up; light on the shared cores) or dotnet (an HttpClient loop in this process)") switch
                {
                    "wrk" => Wrk.Find() ?? throw new ArgumentException("--load-generator wrk: no wrk on the PATH (./ticketing up installs it)"),
                    "dotnet" => null,
                    var other => throw new ArgumentException($"--load-generator is wrk or dotnet, not '{other}'"),
                },
                options.Int("wrk-seconds", 20, 1, 600, "with wrk: seconds of each closed-loop read phase (the ceilings: half)")),
            options.Uri("queue", Servers.Instance(SystemLayout.Queue), "the Queue service itself, for the references without the gateway"),
            Servers.Read(options)));

    private const int WarmUpFans = 2_000;
    private const int WarmUpInFlight = 64;
    private const int AdmissionsPerMinute = 1_000;
    private const double TargetJoinsPerSecond = 5_000;
    private const double TargetReadsPerSecond = 20_000;
    private const int CeilingRequests = 30_000;
    private const int SampleReads = 32;

    /// <summary>An open loop kept up when it answered this share of its arrivals a second.</summary>
    private const double KeptUp = 0.95;

    /// <summary>How many times the derived stated load of status reads is lowered when it did not keep up.</summary>
    private const int StatedLoadSteps = 2;

    /// <summary>The share of the reads answered a second that the next, lowered stated load offers.</summary>
    private const double StepDownShare = 0.7;

    private const string HealthLive = "health/live";
    private static readonly Venue DropVenue = new(4 * Venue.SeatsPerSection);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = new Report(output, "answers/s", "latency at the load", "CPU ms per answer: system (box)", "x its ceiling (see the figures)");
        var connections = Math.Max(load.JoinInFlight, load.StatusInFlight) + WarmUpInFlight;
        await using var platform = await PlatformSession.StartAsync(servers, connections, report, cancellationToken);
        using var direct = new PlatformClient(queueService, connections);
        var groups = SystemProcesses.Platform(await DatabaseActivity.SystemDatabasesAsync(servers, cancellationToken), []);
        var gateway = platform.Client;

        report.Section("Setting up");
        var dropId = await QueuePhases.PublishDropAsync(report, gateway, DropVenue, "queue", DateTimeOffset.UtcNow.AddHours(2), AdmissionsPerMinute, cancellationToken);
        string Fan(string group, int index) => $"bench-{RunInfo.Tag}-q{group}{index}";
        BenchTokens.Prepare(new[] { ("w", WarmUpFans), ("f", load.Fans), ("d", load.DirectFans) }
            .SelectMany(group => Enumerable.Range(0, group.Item2).Select(index => Fan(group.Item1, index))));
        report.Line($"{WarmUpFans + load.Fans + load.DirectFans:N0} fans' tokens signed before the phases");

        report.Section($"Warm-up, not measured: {WarmUpFans:N0} joins and their reads, through the gateway and straight to the Queue");
        await QueuePhases.ClosedAsync(report, "joins", "join", WarmUpFans, WarmUpInFlight, (i, token) => gateway.JoinQueueAsync(dropId, Fan("w", i), token), null, cancellationToken);
        await QueuePhases.ClosedAsync(report, "reads", "read", WarmUpFans, WarmUpInFlight, (i, token) => gateway.QueuePlaceAsync(dropId, Fan("w", i), token), null, cancellationToken);
        await QueuePhases.ClosedAsync(report, "reads, no gateway", "read", WarmUpFans, WarmUpInFlight, (i, token) => direct.QueuePlaceAsync(dropId, Fan("w", i), token), null, cancellationToken);

        report.Section($"Joins: {load.Fans:N0} fans through the gateway, {load.JoinInFlight} in flight");
        var entries = new Guid[load.Fans];
        var joinPath = $"{PlatformClient.QueueRoute}/{dropId}/entries";
        var joinedBefore = (await gateway.QueueCountersAsync(dropId, cancellationToken))?.Joined ?? 0;
        var meter = await platform.MeasureAsync([], cancellationToken);
        var joins = load.Wrk is { } joinWrk
            ? await QueuePhases.WrkPostEachOnceAsync(report, joinWrk, "joins", "join", new Uri(gateway.Gateway, joinPath), load.JoinInFlight,
                Enumerable.Range(0, load.Fans).Select(i => BenchTokens.Fan(Fan("f", i)).ToString()).ToList(), cancellationToken)
            : await QueuePhases.ClosedAsync(report, "joins", "join", load.Fans, load.JoinInFlight, async (i, token) =>
            {
                var answer = await gateway.JoinQueueAsync(dropId, Fan("f", i), token);
                entries[i] = answer.Entry?.EntryId ?? Guid.Empty;
                return answer;
            }, null, cancellationToken);
        var joinCost = await meter.StopAsync(cancellationToken);
        report.Cost("join", joins.Succeeded, joinCost);
        if (load.Wrk is null)
        {
            report.Checks.Check(joins.AllAnswered(201), $"every join answered 201 Created: {joins.Tally}");
            report.Checks.Check(!entries.Contains(Guid.Empty) && entries.Distinct().Count() == load.Fans, $"one distinct place per fan: {entries.Where(entry => entry != Guid.Empty).Distinct().Count():N0} for {load.Fans:N0} fans");
        }
        else
        {
            // wrk tells 2xx from the rest, not 201 from 200: each fan was sent once, so N answers 2xx and the drop's count
            // rising by N say each was a new place (201); 32 fans join again below (200, the same place as they read).
            var joinedAfter = 0;
            for (var read = 0; read < 50 && joinedAfter - joinedBefore != load.Fans; read++)
            {
                await Task.Delay(read == 0 ? 0 : 100, cancellationToken); // the counters may be a moment behind
                joinedAfter = (await gateway.QueueCountersAsync(dropId, cancellationToken))?.Joined ?? 0;
            }

            report.Checks.Check(joins.AllAnswered(200) && joins.Requests == load.Fans && joinedAfter - joinedBefore == load.Fans,
                $"every fan joined once, a new place each: {joins.Tally} (wrk: 2xx as 200) for {load.Fans:N0} fans; the drop's count rose by {joinedAfter - joinedBefore:N0}");
        }

        var random = new Random(20261201);
        // Passes over every fan, each in a new random order: a fan reads about as often as its app polls, never in the
        // burst that drawing fans with replacement gave a few (a fan drawn ten times in a pass read 3 times a second
        // and met its own limit, Gateway:RateLimits:Queue:FanStatus, as a macro would).
        var readers = Enumerable.Range(0, (load.StatusReads + load.Fans - 1) / load.Fans)
            .SelectMany(_ =>
            {
                var pass = Enumerable.Range(0, load.Fans).ToArray();
                random.Shuffle(pass);
                return pass;
            })
            .Take(load.StatusReads)
            .ToArray();
        var placePath = $"{PlatformClient.QueueRoute}/{dropId}/entries/mine";
        var authorizations = load.Wrk is null ? [] : readers.Select(reader => BenchTokens.Fan(Fan("f", reader)).ToString()).ToList();
        PhaseResult reads;
        if (load.Wrk is { } wrk)
        {
            report.Section($"Status reads: random fans' places through the gateway for {load.WrkSeconds} s, {load.StatusInFlight} in flight, sent by wrk " +
                           $"(each read the next of {authorizations.Count:N0} fans' tokens)");
            reads = await QueuePhases.WrkAsync(report, wrk, "status reads", "read", new Uri(gateway.Gateway, placePath), load.StatusInFlight,
                TimeSpan.FromSeconds(load.WrkSeconds), authorizations, groups, cancellationToken);
            var sample = await SampleReadsAsync(gateway, dropId, readers, entries, Fan, cancellationToken);
            report.Checks.Check(reads.AllAnswered(200) && sample.Wrong == 0 && sample.Tally == $"200 x{sample.Reads}",
                $"every read answered 2xx (wrk): {reads.Tally}; a sample of {SampleReads} fans joined again and read by HttpClient: {sample.Tally}, {sample.Wrong} another place");
        }
        else
        {
            report.Section($"Status reads: {load.StatusReads:N0} reads of random fans' places through the gateway, {load.StatusInFlight} in flight");
            var wrongPlace = 0;
            reads = await QueuePhases.ClosedAsync(report, "status reads", "read", load.StatusReads, load.StatusInFlight, async (i, token) =>
            {
                var answer = await gateway.QueuePlaceAsync(dropId, Fan("f", readers[i]), token);
                if (answer.Entry is { } entry && entry.EntryId != entries[readers[i]])
                {
                    Interlocked.Increment(ref wrongPlace);
                }

                return answer;
            }, groups, cancellationToken);
            report.Checks.Check(reads.AllAnswered(200) && wrongPlace == 0, $"every read answered 200 with the fan's own place: {reads.Tally}; {wrongPlace} another place");
        }

        var joinRate = load.JoinRate > 0 ? load.JoinRate : Math.Max(1, (int)(joins.PerSecond / 2));
        var statusRate = load.StatusRate > 0 ? load.StatusRate : Math.Max(1, (int)(reads.PerSecond / 2));
        report.Section($"Latency at a stated load, open loop for {load.OpenLoopSeconds} s each: {joinRate:N0} joins/s, then {statusRate:N0} status reads/s" +
                       (load.JoinRate == 0 || load.StatusRate == 0 ? " (0 given: half the rate measured at saturation)" : ""));
        BenchTokens.Prepare(Enumerable.Range(0, joinRate * load.OpenLoopSeconds).Select(i => Fan("o", i)));
        var openJoins = await QueuePhases.OpenAsync(report, "joins", "join", joinRate * load.OpenLoopSeconds, joinRate,
            (i, token) => gateway.JoinQueueAsync(dropId, Fan("o", i), token), groups, cancellationToken);
        Task<PhaseResult> ReadAtAsync(int rate) => QueuePhases.OpenAsync(report, "status reads", "read", rate * load.OpenLoopSeconds, rate,
            (i, token) => gateway.QueuePlaceAsync(dropId, Fan("f", readers[i % readers.Length]), token), groups, cancellationToken);

        var readSteps = new List<PhaseResult> { await ReadAtAsync(statusRate) };
        while (load.StatusRate == 0 && readSteps.Count <= StatedLoadSteps && readSteps[^1].PerSecond < KeptUp * statusRate)
        {
            // Half of wrk's rate is more than this process's own open loop sends on the two cores it shares with the
            // gateway: its arrivals fall behind their schedule, and the latencies measured are its queue, not the system's.
            var answered = (int)readSteps[^1].PerSecond;
            statusRate = Math.Max(1, (int)(answered * StepDownShare));
            report.Line($"only {answered:N0} of the {readSteps[^1].Load} were answered a second: the arrivals fell behind their schedule, " +
                        $"so the latencies above include this process's own backlog; again at {statusRate:N0} status reads/s");
            readSteps.Add(await ReadAtAsync(statusRate));
        }

        var openReads = readSteps[^1];
        report.Checks.Check(openJoins.AllAnswered(201) && readSteps.All(step => step.AllAnswered(200)),
            $"no 429, 5xx or failure at the stated loads: joins {openJoins.Tally}; reads {string.Join(", then ", readSteps.Select(step => step.Tally))}");

        PhaseResult? directJoins = null;
        PhaseResult? directReads = null;
        if (load.DirectFans > 0)
        {
            report.Section($"Reference: the same calls straight to the Queue at {queueService} (no gateway)");
            directJoins = await QueuePhases.ClosedAsync(report, "joins", "join", load.DirectFans, load.JoinInFlight,
                (i, token) => direct.JoinQueueAsync(dropId, Fan("d", i), token), groups, cancellationToken);
            directReads = load.Wrk is { } directWrk
                ? await QueuePhases.WrkAsync(report, directWrk, "status reads", "read", new Uri(queueService, placePath), load.StatusInFlight,
                    TimeSpan.FromSeconds(Math.Max(1, load.WrkSeconds / 2)), authorizations, groups, cancellationToken)
                : await QueuePhases.ClosedAsync(report, "status reads", "read", Math.Min(load.StatusReads, load.DirectFans), load.StatusInFlight,
                    (i, token) => direct.QueuePlaceAsync(dropId, Fan("f", readers[i]), token), groups, cancellationToken);
            report.Checks.Check(directJoins.AllAnswered(201) && directReads.AllAnswered(200), $"straight to the Queue: joins {directJoins.Tally}; reads {directReads.Tally}");
        }

        report.Section($"Ceilings of the same run, {load.StatusInFlight} in flight: requests with nothing to check or compute");
        var ceilingReads = Math.Min(load.StatusReads, CeilingRequests);
        var ceilingSeconds = TimeSpan.FromSeconds(Math.Max(1, load.WrkSeconds / 2));
        var live = load.Wrk is { } liveWrk
            ? await QueuePhases.WrkAsync(report, liveWrk, $"GET /{HealthLive} straight to the Queue", "answer", new Uri(queueService, HealthLive), load.StatusInFlight,
                ceilingSeconds, null, groups, cancellationToken)
            : await QueuePhases.ClosedAsync(report, $"GET /{HealthLive} straight to the Queue", "answer", ceilingReads, load.StatusInFlight,
                (_, token) => direct.AnonymousGetAsync(HealthLive, token), groups, cancellationToken);
        // Through the gateway: its whole pipeline (headers, correlation, telemetry) without a token, a limit or a hop. An
        // anonymous API read would meet the per-address anonymous limit (Gateway:RateLimits:Anonymous, 5,000/s) first.
        var gatewayLive = load.Wrk is { } gatewayWrk
            ? await QueuePhases.WrkAsync(report, gatewayWrk, $"GET /{HealthLive} through the gateway", "answer", new Uri(gateway.Gateway, HealthLive),
                load.StatusInFlight, ceilingSeconds, null, groups, cancellationToken)
            : await QueuePhases.ClosedAsync(report, $"GET /{HealthLive} through the gateway", "answer", ceilingReads, load.StatusInFlight,
                (_, token) => gateway.AnonymousGetAsync(HealthLive, token), groups, cancellationToken);
        report.Checks.Check(live.AllAnswered(200) && gatewayLive.AllAnswered(200), $"the ceilings answered 200: {live.Tally}; {gatewayLive.Tally}");

        var counters = await gateway.QueueCountersAsync(dropId, cancellationToken);
        var expected = WarmUpFans + load.Fans + openJoins.Succeeded + (directJoins?.Succeeded ?? 0);
        report.Checks.Check(counters?.Joined == expected, $"the drop counts every fan once: joined {counters?.Joined:N0}, {expected:N0} fans joined");
        await gateway.PauseQueueAsync(dropId, cancellationToken);
        report.Line("the drop's queue paused: nobody is let in when its sale opens");

        Summarize(report, joins, joinCost, reads, openJoins, openReads, directJoins, directReads, live, gatewayLive);
        return report.Summary();
    }

    /// <summary>Reads of <see cref="SampleReads"/> random readers' places by HttpClient: statuses, and answers with another fan's place.</summary>
    private static async Task<(int Reads, string Tally, int Wrong)> SampleReadsAsync(
        PlatformClient gateway, Guid dropId, int[] readers, Guid[] entries, Func<string, int, string> fan, CancellationToken cancellationToken)
    {
        var statuses = new List<int>();
        var wrong = 0;
        foreach (var reader in readers.Take(SampleReads))
        {
            if (entries[reader] == Guid.Empty)
            {
                // Joined by wrk, whose answers are not kept: joining again answers 200 with the same place, by the rule.
                var again = await gateway.JoinQueueAsync(dropId, fan("f", reader), cancellationToken);
                statuses.Add(again.Status);
                entries[reader] = again.Entry?.EntryId ?? Guid.Empty;
            }

            var answer = await gateway.QueuePlaceAsync(dropId, fan("f", reader), cancellationToken);
            statuses.Add(answer.Status);
            wrong += answer.Entry is { } entry && entry.EntryId != entries[reader] ? 1 : 0;
        }

        return (statuses.Count, Report.Tally(statuses), wrong);
    }

    private static void Summarize(
        Report report, PhaseResult joins, PhaseCost joinCost, PhaseResult reads, PhaseResult openJoins, PhaseResult openReads,
        PhaseResult? directJoins, PhaseResult? directReads, PhaseResult live, PhaseResult gatewayLive)
    {
        report.Section("Figures");
        report.Line($"ceilings: GET /{HealthLive} straight to the Queue {live.Rate}, through the gateway {gatewayLive.Rate}; " +
                    "joins are compared with the first, reads through the gateway with the second");
        Figure(report, $"**joins** ({joins.Succeeded:N0} fans, through the gateway)", joins, joinCost.Cpu, live);
        Figure(report, "**status reads** (through the gateway)", reads, reads.Cpu, gatewayLive);
        Figure(report, "joins at a stated load", openJoins, openJoins.Cpu, null);
        Figure(report, "status reads at a stated load", openReads, openReads.Cpu, null);
        if (directJoins is not null && directReads is not null)
        {
            Figure(report, "joins straight to the Queue", directJoins, directJoins.Cpu, live);
            Figure(report, "status reads straight to the Queue", directReads, directReads.Cpu, live);
            report.Line($"through the gateway: {joins.PerSecond / directJoins.PerSecond:P0} of the joins/s and {reads.PerSecond / directReads.PerSecond:P0} of the reads/s straight to the Queue");
        }

        Figure(report, $"GET /{HealthLive} straight to the Queue", live, live.Cpu, live);
        Figure(report, $"GET /{HealthLive} through the gateway", gatewayLive, gatewayLive.Cpu, live);
        report.Figure("joins/s the cores would carry at that CPU per join (cores ÷ system ms)", joinCost.CpuBoundRate(joins.Succeeded));
        if (joinCost.Cpu is { } cpu)
        {
            report.Figure("other work on the box during the joins (\"everything else\")", $"{cpu.OtherCores:F2} of {cpu.Cores} cores");
        }

        report.Line($"target (issue 16): 100,000 joins in <= 20 s (>= {TargetJoinsPerSecond:N0}/s): {(joins.PerSecond >= TargetJoinsPerSecond ? "met" : "MISSED")}; " +
                    $">= {TargetReadsPerSecond:N0} status reads/s: {(reads.PerSecond >= TargetReadsPerSecond ? "met" : "MISSED")}");
    }

    /// <param name="ceiling">The phase's ceiling; none for an open loop, whose rate is the one offered.</param>
    private static void Figure(Report report, string name, PhaseResult phase, CpuUsage? cpu, PhaseResult? ceiling) =>
        report.Figure(name, phase.Rate, $"{phase.Latency.Percentiles()} ({phase.Load})",
            cpu is null ? "not measured" : $"{cpu.GroupsMillisecondsPer(phase.Succeeded):F3} ({cpu.BoxMillisecondsPer(phase.Succeeded):F3})",
            ceiling is null ? "" : $"{phase.PerSecond / ceiling.PerSecond:F2}");
}
