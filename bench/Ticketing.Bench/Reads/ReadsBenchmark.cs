using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;
using Ticketing.Topology;

namespace Ticketing.Bench.Reads;

/// <summary>How the reads are offered: connections each with one request in flight; warm-up and measured time per read.</summary>
/// <summary>The closed loops of the reads: connections in flight, unmeasured and measured time, and the load generator (wrk, or null: this process).</summary>
internal sealed record ReadLoad(int Connections, TimeSpan WarmUp, TimeSpan Measured, string? Wrk);

/// <summary>
/// The seat-state listeners: how many, how many connect a second, how many holds are timed, and the Tickets instance
/// that listeners beyond the gateway's open-file limit connect to.
/// </summary>
internal sealed record ListenerLoad(int Count, int ConnectRate, int Probes, Uri Tickets);

/// <summary>What the listeners measured: hold to every listener, by way in, and memory per listener.</summary>
internal sealed record ListenResult(int Connected, int ThroughGateway, Stats All, Stats ThroughTheGateway, Stats Direct, double GatewayKbPerListener, double TicketsKbPerListener);

/// <summary>
/// <c>reads</c>: drop-day reads through the gateway. A --seats concert is published and put mid-sale with --holds
/// holds. The seat state's size on the wire with each encoding. Then each read for --seconds, --connections in flight:
/// the gateway's own <c>/health/live</c> (before and after the others: the reference of the same run), the catalog
/// list, the concert's details, its availability, its seat state and its layout; answers/s, latency percentiles,
/// bytes and CPU per answer, and the ratio to <c>/health/live</c>. Then --listeners listeners of the concert's
/// seat-state stream (through the gateway as far as its open-file limit allows, the rest at --tickets): --probes holds
/// each timed from its request sent until every listener has seen the seat held; memory per listener of the gateway and
/// Tickets. Checks: every answer 200 or 304 and its body JSON, the seat state exactly the seats held, every listener
/// connected and saw every probe, every delta following on from the version its listener had.
/// </summary>
internal sealed class ReadsBenchmark(Venue venue, int holds, ReadLoad reads, ListenerLoad listeners, Servers servers) : IBenchmarkRun
{
    public static readonly Benchmark Definition = new("reads",
        "Drop-day reads through the gateway beside its /health/live; the seat state of a 60,000-seat concert on the wire; 10,000 seat-state listeners",
        options => new ReadsBenchmark(
            Venue.Read(options, "seats", 60_000, "venue of the concert read"),
            options.Int("holds", 3_000, 0, 20_000, "hold requests before the reads (mid-sale), 16 in flight: half best-available pairs of a tier, half specific pairs at random"),
            new ReadLoad(
                options.Int("connections", 64, 1, 1_000, "reads: connections, each with one request in flight (closed loop)"),
                TimeSpan.FromSeconds(options.Int("warm-up-seconds", 2, 0, 60, "reads: unmeasured seconds before each read")),
                TimeSpan.FromSeconds(options.Int("seconds", 10, 1, 300, "reads: measured seconds per read")),
                options.Text("load-generator", Wrk.Find() is null ? "dotnet" : "wrk",
                    "reads: wrk (installed by ./ticketing up; light on the shared cores) or dotnet (an HttpClient loop in this process)") switch
                {
                    "wrk" => Wrk.Find() ?? throw new ArgumentException("--load-generator wrk: no wrk on the PATH (./ticketing up installs it)"),
                    "dotnet" => null,
                    var other => throw new ArgumentException($"--load-generator is wrk or dotnet, not '{other}'"),
                }),
            new ListenerLoad(
                options.Int("listeners", 10_000, 0, 50_000, "listeners of the concert's seat-state stream (0: none)"),
                options.Int("connect-rate", 2_000, 10, 5_000, "listeners connecting a second (the gateway allows 5,000 anonymous requests a second per address)"),
                options.Int("probes", 5, 1, 50, "holds timed from their request sent until every listener has seen the seat held"),
                options.Uri("tickets", Servers.Instance(SystemLayout.Tickets), "the Tickets instance of the concert: listeners beyond the gateway's open-file limit connect here")),
            Servers.Read(options)));

    private const string HealthLive = "/health/live";
    private const double TargetReadsPerSecond = 10_000;
    private const double TargetP99Ms = 50;
    private const double TargetRatio = 0.6;
    private const double TargetSeatStatePerSecond = 5_000;
    private const int TargetSeatStateBytes = 10 * 1024;
    private const double TargetVisibleMs = 1_000;
    private const int SetupInFlight = 16;

    /// <summary>A stream through the gateway holds two sockets there (the listener's and Tickets'); this many files stay free for the rest.</summary>
    private const int OpenFilesKeptFree = 500;

    /// <summary>Rows at the back of each section, where the probes pick a free seat.</summary>
    private const int ProbeRows = 5;

    /// <summary>The feed pushes at most once a second: a probe this long after the last push goes out alone, not held back.</summary>
    private static readonly TimeSpan ProbeGap = TimeSpan.FromSeconds(1.5);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SeatStateTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Memory is read this long after the last listener connected: the buffers of the first snapshots back in their pools.</summary>
    private static readonly TimeSpan MemorySettling = TimeSpan.FromSeconds(2);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = new Report(output, "answers/s", $"latency, {reads.Connections} in flight", "bytes per answer", $"x {HealthLive}", "CPU ms per answer: system (box)");
        await using var platform = await PlatformSession.StartAsync(servers, reads.Connections, report, cancellationToken);
        var groups = SystemProcesses.Platform(await DatabaseActivity.SystemDatabasesAsync(servers, cancellationToken), []);

        report.Section("Setting up");
        var concertId = await platform.ConcertAsync(report, venue, "reads", cancellationToken);
        var placed = await PutMidSaleAsync(report, platform.Client, concertId, cancellationToken);
        var held = placed.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).SelectMany(attempt => attempt.Answer.SeatIds).ToHashSet(StringComparer.Ordinal);
        await VerifySeatStateAsync(report, platform.Client, concertId, held, cancellationToken);

        using var loop = new ReadLoop(servers.Gateway, reads.Connections, reads.Wrk);
        report.Section("The seat state on the wire: one GET per Accept-Encoding");
        var brotli = await WireSizeAsync(report, loop, concertId, cancellationToken);

        report.Section($"Reads through the gateway: {reads.Connections} connections, each with one request in flight; {reads.WarmUp.TotalSeconds:F0} s warm-up, then {reads.Measured.TotalSeconds:F0} s each; Accept-Encoding: {ReadLoop.AcceptEncoding}; load generator: {reads.Wrk ?? "this process (HttpClient)"}");
        var results = await ReadAllAsync(report, platform, loop, concertId, groups, cancellationToken);

        var probes = new List<HoldAttempt>();
        ListenResult? listened = null;
        if (listeners.Count > 0)
        {
            report.Section($"{listeners.Count:N0} listeners of the seat-state stream, {listeners.ConnectRate:N0} connecting a second; {listeners.Probes} holds timed to every listener");
            listened = await ListenAsync(report, platform.Client, concertId, held, probes, groups, cancellationToken);
        }

        Summarize(report, results, brotli, listened);
        report.Section("Releasing the holds (not measured), so that their expiry does not land in a later run");
        await HoldReleases.ReleaseAsync(report, platform.Client, placed.Concat(probes), SetupInFlight, cancellationToken);
        return report.Summary();
    }

    /// <summary>--holds hold requests, 16 in flight, each a new fan: even ones the best pair of a tier, odd ones a random pair of neighbours.</summary>
    private async Task<IReadOnlyList<HoldAttempt>> PutMidSaleAsync(Report report, PlatformClient platform, Guid concertId, CancellationToken cancellationToken)
    {
        var random = new Random(17);
        var requests = Enumerable.Range(0, holds).Select(index => (
            FanId: $"bench-{RunInfo.Tag}-reads-{index}",
            Tier: Venue.Tiers[index / 2 % Venue.Tiers.Count].Code,
            Pair: index % 2 == 0 ? null : RandomPair(random))).ToList();
        BenchTokens.Prepare(requests.Select(request => request.FanId));
        var attempts = new ConcurrentQueue<HoldAttempt>();
        var next = -1;
        await Load.ClosedAsync(SetupInFlight, async token =>
        {
            var index = Interlocked.Increment(ref next);
            if (index >= requests.Count)
            {
                return false;
            }

            var (fanId, tier, pair) = requests[index];
            var sent = Stopwatch.GetTimestamp();
            var answer = pair is null
                ? await platform.HoldBestAsync(PlatformClient.TicketsRoute, concertId, fanId, tier, PairSale.Quantity, token)
                : await platform.HoldSeatsAsync(concertId, fanId, pair, token);
            attempts.Enqueue(new HoldAttempt(fanId, pair is null ? tier : "seats", sent, Stopwatch.GetTimestamp(), answer));
            return true;
        }, cancellationToken);

        var placed = attempts.ToList();
        var others = placed.Where(attempt => attempt.Answer.Status is not (201 or 409)).ToList();
        report.Line($"{placed.Count:N0} hold requests, {SetupInFlight} in flight: {Report.Tally(placed.Select(attempt => attempt.Answer.Status))}; " +
                    $"{placed.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).Sum(attempt => attempt.Answer.SeatIds.Count):N0} seats held");
        report.Checks.Check(others.Count == 0, $"every hold answered 201, or 409 for seats taken: {others.Count} others{(others.Count > 0 ? $", first {others[0].Answer.Status} {others[0].Answer.Error}" : "")}");
        return placed;
    }

    private string[] RandomPair(Random random)
    {
        var (section, row, number) = (random.Next(venue.Sections), random.Next(1, Venue.RowsPerSection + 1), random.Next(1, Venue.SeatsPerRow));
        return [Venue.SeatId(section, row, number), Venue.SeatId(section, row, number + 1)];
    }

    /// <summary>Waits until the public seat state shows as many seats held as the 201s named; then it must show exactly those.</summary>
    private async Task VerifySeatStateAsync(Report report, PlatformClient platform, Guid concertId, IReadOnlySet<string> held, CancellationToken cancellationToken)
    {
        SeatStateView? state = null;
        TimeSpan? shown = null;
        try
        {
            shown = await PlatformClient.PollAsync("seat state showing the holds", SeatStateTimeout, async token =>
            {
                state = await platform.SeatStateAsync(concertId, token);
                return state.Sections.Sum(section => section.Seats.Count(code => code == 'h')) == held.Count;
            }, cancellationToken);
        }
        catch (TimeoutException)
        {
            // the checks below say what differs
        }

        var seats = state!.Sections.ToDictionary(section => section.Code, section => section.Seats, StringComparer.Ordinal);
        var letters = seats.Values.Sum(codes => codes.Length);
        var shownHeld = seats.Values.Sum(codes => codes.Count(code => code == 'h'));
        var notShown = held.Count(seatId => Venue.Position(seatId) is var (section, index)
            && !(seats.TryGetValue(section, out var codes) && index < codes.Length && codes[index] == 'h'));
        report.Line($"seat state version {state.Version}{(shown is { } after ? $", showing every hold {after.TotalSeconds:F1} s after the last 201" : "")}");
        report.Checks.Check(letters == venue.Capacity, $"the seat state has one letter per seat: {letters:N0} of {venue.Capacity:N0}");
        report.Checks.Check(notShown == 0 && shownHeld == held.Count, $"the seat state shows exactly the seats held: {shownHeld:N0} shown held, {held.Count:N0} held, {notShown} held but not shown");
    }

    /// <summary>The seat state with Brotli, gzip and no encoding: sizes, and the same JSON from each. Returns the Brotli answer.</summary>
    private static async Task<WireAnswer> WireSizeAsync(Report report, ReadLoop loop, Guid concertId, CancellationToken cancellationToken)
    {
        var address = new Uri(loop.Gateway, $"{PlatformClient.TicketsRoute}/concerts/{concertId}/seat-state");
        var answers = new Dictionary<string, WireAnswer>(StringComparer.Ordinal);
        foreach (var encoding in new[] { "br", "gzip", "identity" })
        {
            var answer = answers[encoding] = await loop.GetAsync(address, encoding, countHeaders: true, cancellationToken);
            report.Line($"Accept-Encoding: {encoding,-8} {answer.Status}, Content-Encoding {answer.Encoding,-8} body {answer.Body.Length,7:N0} B, headers ~{answer.HeaderBytes:N0} B");
        }

        var plain = answers["identity"].Body;
        var checks = report.Checks;
        checks.Check(answers.Values.All(answer => answer.Status == 200) && answers.All(pair => pair.Key == pair.Value.Encoding),
            "each answer 200, encoded as asked: " + string.Join(", ", answers.Select(pair => $"{pair.Key} -> {pair.Value.Status} {pair.Value.Encoding}")));
        checks.Check(ReadLoop.JsonProblem(answers["identity"]) is null, $"the body is JSON ({plain.Length:N0} B)");
        checks.Check(answers.Values.All(answer => DecodesTo(answer, plain)), "Brotli and gzip decode to the same JSON as the uncompressed answer");
        return answers["br"];
    }

    private static bool DecodesTo(WireAnswer answer, byte[] plain)
    {
        try
        {
            return ReadLoop.Decode(answer).AsSpan().SequenceEqual(plain);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Each read in turn, <c>/health/live</c> first and last; CPU per answer of each; what all of them wrote.</summary>
    private async Task<IReadOnlyList<ReadResult>> ReadAllAsync(
        Report report, PlatformSession platform, ReadLoop loop, Guid concertId, IReadOnlyList<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        var concert = $"{PlatformClient.TicketsRoute}/concerts/{concertId}";
        Read[] all =
        [
            new(HealthLive, "health/live", AcceptEncoding: null),
            new($"{HealthLive}, Brotli", "health/live"),
            new("catalog list", "api/catalog/concerts"),
            new("concert details", $"api/catalog/concerts/{concertId}"),
            new("availability", $"{concert}/availability"),
            new($"seat state, {venue.Capacity:N0} seats", $"{concert}/seat-state"),
            new("layout", $"{concert}/layout"),
            new($"{HealthLive}, again", "health/live", AcceptEncoding: null),
        ];
        var meter = await platform.MeasureAsync([], cancellationToken);
        var results = new List<ReadResult>();
        foreach (var read in all)
        {
            var result = await loop.RunAsync(read, reads.WarmUp, reads.Measured, groups, cancellationToken);
            results.Add(result);
            report.Line($"{read.Name}: {result.PerSecond:N0} answers/s, {result.Latency.Milliseconds()}, {result.BytesPerAnswer:N0} B per answer; " +
                        $"status {result.Statuses}; Content-Encoding {result.Encodings}");
            if (result.Cpu is { } cpu)
            {
                report.Cpu("answer", result.Served, cpu);
            }

            report.Checks.Check(result.Answers > 0 && result.Served == result.Answers,
                $"{read.Name}: every answer 200 or 304: {result.Answers - result.Served:N0} others{(result.Served < result.Answers ? $", first {result.FirstProblem}" : "")}");
            report.Checks.Check(result.Undecodable == 0, $"{read.Name}: every body decodes to JSON: {result.Undecodable} did not{(result.Undecodable > 0 ? $", first {result.FirstProblem}" : "")}");
        }

        // CPU is counted per read above; over all of them, what the reads wrote and sent, and no message to an error queue.
        var cost = await meter.StopAsync(cancellationToken);
        report.Cost("answer (all reads)", results.Sum(result => result.Answers), cost with { Cpu = null });
        return results;
    }

    private async Task<ListenResult> ListenAsync(
        Report report, PlatformClient platform, Guid concertId, ISet<string> held, List<HoldAttempt> probes, IReadOnlyList<ProcessGroup> groups,
        CancellationToken cancellationToken)
    {
        var gateway = SystemProcesses.Service("Gateway");
        var tickets = SystemProcesses.Service("Tickets");
        var gatewayRoom = ProcessResources.OpenFileRoom(gateway);
        var throughGateway = gatewayRoom is { } room ? Math.Clamp((room - OpenFilesKeptFree) / 2, 0, listeners.Count) : listeners.Count;
        foreach (var (name, process) in new[] { ("the benchmark", SystemProcesses.TheBench()), ("Tickets", tickets) })
        {
            if (ProcessResources.OpenFileRoom(process) is { } left && left - OpenFilesKeptFree < listeners.Count)
            {
                throw new InvalidOperationException($"{name} may open {left:N0} more files (ulimit -n): too few for {listeners.Count:N0} listeners; ask for fewer with --listeners.");
            }
        }

        report.Line($"{throughGateway:N0} through the gateway (two sockets each there; it may open {gatewayRoom?.ToString("N0") ?? "any number of"} more files), " +
                    $"{listeners.Count - throughGateway:N0} at {listeners.Tickets} directly (one socket each)");
        var (gatewayBefore, ticketsBefore) = (ProcessResources.ResidentBytes(gateway), ProcessResources.ResidentBytes(tickets));
        await using var streams = new SeatStateListeners(servers.Gateway, listeners.Tickets, $"{PlatformClient.TicketsRoute}/concerts/{concertId}/seat-state/stream",
            listeners.Count, throughGateway, listeners.Probes);
        var cpu = CpuMeter.Start(groups);
        var start = Stopwatch.GetTimestamp();
        await streams.ConnectAsync(listeners.ConnectRate, ConnectTimeout, cancellationToken);
        var connecting = Stopwatch.GetElapsedTime(start);
        var usage = cpu?.Stop();
        await Task.Delay(MemorySettling, cancellationToken);
        var (gatewayAfter, ticketsAfter) = (ProcessResources.ResidentBytes(gateway), ProcessResources.ResidentBytes(tickets));
        var gatewayKb = throughGateway == 0 ? 0 : (gatewayAfter - gatewayBefore) / 1024.0 / throughGateway;
        var ticketsKb = streams.Connected == 0 ? 0 : (ticketsAfter - ticketsBefore) / 1024.0 / streams.Connected;
        report.Line($"{streams.Connected:N0} connected with their snapshot in {connecting.TotalSeconds:F1} s, {streams.Failed:N0} failed{(streams.FirstFailure is { } failure ? $" (first: {failure})" : "")}");
        if (usage is not null)
        {
            report.Cpu("listener connected", streams.Connected, usage);
        }

        report.Line($"resident memory: gateway {Megabytes(gatewayBefore)} -> {Megabytes(gatewayAfter)} MB, {gatewayKb:F1} KB per listener through it; " +
                    $"Tickets {Megabytes(ticketsBefore)} -> {Megabytes(ticketsAfter)} MB, {ticketsKb:F1} KB per listener");
        report.Checks.Check(streams.Connected == listeners.Count, $"every listener connected: {streams.Connected:N0} of {listeners.Count:N0}");

        var random = new Random(21);
        var samples = new List<(int Listener, double Milliseconds)>();
        var missed = 0;
        for (var number = 0; number < listeners.Probes; number++)
        {
            await Task.Delay(ProbeGap, cancellationToken);
            var seatId = FreeBackRowSeat(held, random);
            var fanId = $"bench-{RunInfo.Tag}-reads-probe-{number}";
            var (section, index) = Venue.Position(seatId);
            var sent = Stopwatch.GetTimestamp();
            streams.Expect(new Probe(number, section, index, sent));
            var answer = await platform.HoldSeatsAsync(concertId, fanId, [seatId], cancellationToken);
            var attempt = new HoldAttempt(fanId, "probe", sent, Stopwatch.GetTimestamp(), answer);
            probes.Add(attempt);
            if (answer.Outcome != HoldOutcome.Held)
            {
                report.Line($"probe {number + 1}: {seatId} answered {answer.Status} {answer.Error}");
                continue;
            }

            held.Add(seatId);
            var heard = await streams.TimeAsync(ProbeTimeout, cancellationToken);
            missed += streams.Connected - heard.Count;
            samples.AddRange(heard);
            report.Line($"probe {number + 1}: {seatId} held ({attempt.LatencyMs:F0} ms); seen held by {heard.Count:N0} of {streams.Connected:N0}: {new Stats(heard.Select(entry => entry.Milliseconds)).Milliseconds()}");
        }

        var result = new ListenResult(
            streams.Connected,
            throughGateway,
            new Stats(samples.Select(sample => sample.Milliseconds)),
            new Stats(samples.Where(sample => sample.Listener < throughGateway).Select(sample => sample.Milliseconds)),
            new Stats(samples.Where(sample => sample.Listener >= throughGateway).Select(sample => sample.Milliseconds)),
            gatewayKb,
            ticketsKb);
        report.Line($"hold sent -> every listener: {result.All.Milliseconds()}; through the gateway: {result.ThroughTheGateway.Milliseconds()}; directly: {result.Direct.Milliseconds()}");
        var checks = report.Checks;
        checks.Check(probes.All(probe => probe.Answer.Outcome == HoldOutcome.Held), $"every probe held: {Report.Tally(probes.Select(probe => probe.Answer.Status))}");
        checks.Check(missed == 0 && samples.Count > 0, $"every listener saw every probe held: {missed:N0} missed");
        checks.Check(streams.Gaps == 0, $"every delta follows on from the version its listener had: {streams.Gaps:N0} did not");
        checks.Check(streams.Dropped == 0, $"no stream ended before the benchmark closed it: {streams.Dropped:N0} did{(streams.Dropped > 0 ? $" (first: {streams.FirstFailure})" : "")}");
        return result;
    }

    /// <summary>A seat in the back rows of a random section that no hold has taken.</summary>
    private string FreeBackRowSeat(ISet<string> held, Random random)
    {
        while (true)
        {
            var seatId = Venue.SeatId(random.Next(venue.Sections), Venue.RowsPerSection - random.Next(ProbeRows), random.Next(1, Venue.SeatsPerRow + 1));
            if (!held.Contains(seatId))
            {
                return seatId;
            }
        }
    }

    private void Summarize(Report report, IReadOnlyList<ReadResult> results, WireAnswer brotli, ListenResult? listened)
    {
        var reference = (results[0].PerSecond + results[^1].PerSecond) / 2;
        report.Section("Figures");
        report.Line($"{HealthLive}, the reference: {results[0].PerSecond:N0} answers/s before the other reads, {results[^1].PerSecond:N0} after; their mean {reference:N0} is the ratios' 1.00");
        foreach (var result in results)
        {
            report.Figure(result.Read.Name, $"{result.PerSecond:N0}", result.Latency.Percentiles(), $"{result.BytesPerAnswer:N0}", $"{result.PerSecond / reference:F2}",
                result.Cpu is { } cpu ? $"{cpu.GroupsMillisecondsPer(result.Served):F3} ({cpu.BoxMillisecondsPer(result.Served):F3})" : "not measured");
        }

        var wire = brotli.Body.Length + brotli.HeaderBytes;
        report.Figure("seat state on the wire with Brotli: body + headers", "", "", $"{wire:N0} ({brotli.Body.Length:N0} + ~{brotli.HeaderBytes:N0})");
        foreach (var result in results.Skip(2).Take(3))
        {
            var ratio = result.PerSecond / reference;
            report.Line($"target (issue 17), {result.Read.Name}: >= {TargetReadsPerSecond:N0}/s {Met(result.PerSecond >= TargetReadsPerSecond)}; " +
                        $"p99 <= {TargetP99Ms} ms {Met(result.Latency.P99 <= TargetP99Ms)}; >= {TargetRatio} x {HealthLive} {Met(ratio >= TargetRatio)}");
        }

        var seatState = results[5];
        report.Line($"target (issue 17), seat state: >= {TargetSeatStatePerSecond:N0}/s {Met(seatState.PerSecond >= TargetSeatStatePerSecond)}; <= {TargetSeatStateBytes:N0} B on the wire {Met(wire <= TargetSeatStateBytes)}");
        if (listened is null)
        {
            return;
        }

        report.Figure($"hold sent -> every listener ({listened.Connected:N0} listeners)", "", listened.All.Percentiles());
        report.Figure($"hold -> listener through the gateway ({listened.ThroughGateway:N0})", "", listened.ThroughTheGateway.Percentiles());
        report.Figure($"hold -> listener at Tickets directly ({listened.Connected - listened.ThroughGateway:N0})", "", listened.Direct.Percentiles());
        report.Figure("resident memory per listener: gateway (through it) / Tickets (all)", "", "", $"{listened.GatewayKbPerListener:F1} KB / {listened.TicketsKbPerListener:F1} KB");
        report.Line($"target (issue 17), listeners: p99 hold sent -> every listener <= {TargetVisibleMs:N0} ms {Met(listened.All.P99 <= TargetVisibleMs)}");
    }

    private static string Met(bool met) => met ? "met" : "MISSED";

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):F0}";
}
