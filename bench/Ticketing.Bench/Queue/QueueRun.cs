using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Queue;

/// <summary>What one closed-loop or open-loop phase measured.</summary>
internal sealed record PhaseFigures(string Name, int Requests, int Succeeded, TimeSpan Elapsed, Stats Latency, CpuUsage? Cpu, IReadOnlyDictionary<int, int> Statuses)
{
    public double PerSecond => Stats.Rate(Succeeded, Elapsed);
}

internal sealed class QueueRun(QueueSettings settings) : IBenchmarkRun
{
    private const string QueueDatabase = "ticketing_queue";
    private const int WarmUpFans = 2_000;
    private static readonly TimeSpan DropTimeout = TimeSpan.FromSeconds(60);

    private const string QueueCpu = "Queue";
    private const string GatewayCpu = "Gateway";

    private static readonly ProcessGroup[] CpuGroups =
    [
        SystemProcesses.TheBench(),
        SystemProcesses.Service(QueueCpu),
        SystemProcesses.Service(GatewayCpu),
        SystemProcesses.PostgresBackends(QueueDatabase),
        SystemProcesses.OtherPostgres(),
        SystemProcesses.Broker(),
        SystemProcesses.Services("Catalog, Orders, Tickets, Insights", "Catalog", "Orders", "Tickets", "Insights"),
    ];

    private readonly string runTag = Guid.NewGuid().ToString("N")[..6];

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var http = QueueApi.CreateClient(Math.Max(settings.JoinConcurrency, settings.StatusConcurrency) + 64);
        var gateway = new QueueApi(http, settings.Servers.Gateway);
        var direct = new QueueApi(http, settings.QueueService);
        var checks = new Checks(output);

        var dropId = await gateway.CreateDropAsync($"Queue bench {runTag}", cancellationToken);
        await gateway.WaitForDropAsync(dropId, DropTimeout, cancellationToken);
        output.WriteLine($"  drop         {dropId} (a concert with a waiting room; its sale opens in 2 h, so every join is before the draw)");

        var openLoopJoins = settings.JoinRate * settings.OpenLoopSeconds;
        string Fan(string group, int i) => $"q{runTag}-{group}{i}";
        var signing = Stopwatch.StartNew();
        BenchTokens.Prepare(
            Enumerable.Range(0, WarmUpFans).Select(i => Fan("w", i))
                .Concat(Enumerable.Range(0, settings.Fans).Select(i => Fan("f", i)))
                .Concat(Enumerable.Range(0, openLoopJoins).Select(i => Fan("o", i)))
                .Concat(Enumerable.Range(0, settings.DirectFans).Select(i => Fan("d", i))));
        output.WriteLine($"  tokens       {WarmUpFans + settings.Fans + openLoopJoins + settings.DirectFans:N0} fans' tokens signed in {signing.Elapsed.TotalSeconds:F1} s (before the phases, not measured)");
        output.WriteLine();

        // Warm-up (not measured): connections, JIT, pools, on both paths.
        await ClosedLoopAsync("warm-up joins", WarmUpFans, 64, i => gateway.JoinAsync(dropId, Fan("w", i), cancellationToken), meterCpu: false, cancellationToken);
        await ClosedLoopAsync("warm-up reads", WarmUpFans, 64, i => direct.MineAsync(dropId, Fan("w", i), cancellationToken), meterCpu: false, cancellationToken);
        await ClosedLoopAsync("warm-up reads", WarmUpFans, 64, i => gateway.MineAsync(dropId, Fan("w", i), cancellationToken), meterCpu: false, cancellationToken);

        // Phase 1: the crowd joins.
        var entries = new Guid[settings.Fans];
        var joins = await ClosedLoopAsync("joins", settings.Fans, settings.JoinConcurrency, async i =>
        {
            var answer = await gateway.JoinAsync(dropId, Fan("f", i), cancellationToken);
            entries[i] = answer.EntryId;
            return answer;
        }, meterCpu: true, cancellationToken);
        Print(output, joins, $"{settings.JoinConcurrency} in flight");
        checks.Check(joins.Succeeded == settings.Fans && joins.Statuses.Keys.All(status => status == 201),
            $"every join answered 201 Created ({Describe(joins.Statuses)})");
        checks.Check(entries.Distinct().Count() == settings.Fans && !entries.Contains(Guid.Empty), $"{settings.Fans:N0} distinct places, one per fan");

        // Phase 2: fans read their place (from memory), random fans.
        var random = new Random(20261201);
        var readers = Enumerable.Range(0, settings.StatusReads).Select(_ => random.Next(settings.Fans)).ToArray();
        var wrongPlace = 0;
        var reads = await ClosedLoopAsync("status reads", settings.StatusReads, settings.StatusConcurrency, async i =>
        {
            var answer = await gateway.MineAsync(dropId, Fan("f", readers[i]), cancellationToken);
            if (answer.Status == 200 && answer.EntryId != entries[readers[i]])
            {
                Interlocked.Increment(ref wrongPlace);
            }

            return answer;
        }, meterCpu: true, cancellationToken);
        Print(output, reads, $"{settings.StatusConcurrency} in flight");
        checks.Check(reads.Succeeded == settings.StatusReads && wrongPlace == 0, $"every read answered 200 with the fan's own place ({Describe(reads.Statuses)}, wrong place {wrongPlace})");

        // Phase 3: latency at a stated load (open loop: arrivals at a fixed rate, whether or not earlier ones returned).
        var openJoins = await OpenLoopAsync("joins, open loop", openLoopJoins, settings.JoinRate,
            i => gateway.JoinAsync(dropId, Fan("o", i), cancellationToken), cancellationToken);
        Print(output, openJoins, $"{settings.JoinRate:N0} arrivals/s");
        var openReads = await OpenLoopAsync("status reads, open loop", settings.StatusRate * settings.OpenLoopSeconds, settings.StatusRate,
            i => gateway.MineAsync(dropId, Fan("f", random.Next(settings.Fans)), cancellationToken), cancellationToken);
        Print(output, openReads, $"{settings.StatusRate:N0} arrivals/s");
        checks.Check(openJoins.Statuses.Keys.All(status => status == 201) && openReads.Statuses.Keys.All(status => status == 200),
            $"no 429, 5xx or failure at the stated loads (joins {Describe(openJoins.Statuses)}; reads {Describe(openReads.Statuses)})");

        // Reference of the same run: the same calls straight to the Queue service.
        PhaseFigures? directJoins = null;
        PhaseFigures? directReads = null;
        if (settings.DirectFans > 0)
        {
            directJoins = await ClosedLoopAsync("joins, no gateway", settings.DirectFans, settings.JoinConcurrency,
                i => direct.JoinAsync(dropId, Fan("d", i), cancellationToken), meterCpu: true, cancellationToken);
            Print(output, directJoins, $"{settings.JoinConcurrency} in flight, straight to {settings.QueueService}");
            directReads = await ClosedLoopAsync("status reads, no gateway", Math.Min(settings.StatusReads, 100_000), settings.StatusConcurrency,
                i => direct.MineAsync(dropId, Fan("f", readers[i]), cancellationToken), meterCpu: true, cancellationToken);
            Print(output, directReads, $"{settings.StatusConcurrency} in flight, straight to {settings.QueueService}");
            checks.Check(directJoins.Statuses.Keys.All(status => status == 201), $"direct joins answered 201 ({Describe(directJoins.Statuses)})");
        }

        // Ceilings of the same run: what this box serves at all, with nothing to validate and nothing to compute.
        var ceilingReads = Math.Min(settings.StatusReads, 100_000);
        var liveDirect = await ClosedLoopAsync("GET /health/live, Queue", ceilingReads, settings.StatusConcurrency,
            _ => direct.GetAsync("health/live", cancellationToken), meterCpu: true, cancellationToken);
        Print(output, liveDirect, $"{settings.StatusConcurrency} in flight, straight to the Queue (ASP.NET Core, no token)");
        var drawThroughGateway = await ClosedLoopAsync("GET draw via gateway", ceilingReads, settings.StatusConcurrency,
            _ => gateway.GetAsync($"api/queue/{dropId}/draw", cancellationToken), meterCpu: true, cancellationToken);
        Print(output, drawThroughGateway, $"{settings.StatusConcurrency} in flight, anonymous (YARP + the Queue, no token)");

        var counters = await gateway.CountersAsync(dropId, cancellationToken);
        var expected = WarmUpFans + settings.Fans + openJoins.Succeeded + (directJoins?.Succeeded ?? 0);
        var joined = counters?.GetProperty("joined").GetInt32() ?? -1;
        checks.Check(joined == expected, $"the drop counts every fan once: joined {joined:N0}, expected {expected:N0}");

        output.WriteLine();
        output.WriteLine("SUMMARY");
        output.WriteLine($"  joins        {settings.Fans:N0} in {joins.Elapsed.TotalSeconds:F1} s = {joins.PerSecond:N0}/s through the gateway ({settings.JoinConcurrency} in flight); target 100,000 in <= 20 s (>= 5,000/s): {(joins.PerSecond >= 5_000 ? "met" : "NOT met")}");
        output.WriteLine($"  reads        {reads.PerSecond:N0}/s through the gateway ({settings.StatusConcurrency} in flight); target >= 20,000/s: {(reads.PerSecond >= 20_000 ? "met" : "NOT met")}");
        output.WriteLine($"  latency      joins at {settings.JoinRate:N0}/s: {openJoins.Latency.Milliseconds()}");
        output.WriteLine($"               reads at {settings.StatusRate:N0}/s: {openReads.Latency.Milliseconds()}");
        if (joins.Cpu is { } joinCpu)
        {
            var total = joinCpu.BoxCores * joinCpu.Elapsed.TotalMilliseconds / settings.Fans;
            output.WriteLine($"  CPU per join {total:F2} ms of the box: Queue {joinCpu.MillisecondsPer(QueueCpu, settings.Fans):F3} ms, gateway {joinCpu.MillisecondsPer(GatewayCpu, settings.Fans):F3} ms, " +
                $"PostgreSQL {joinCpu.MillisecondsPer(SystemProcesses.BackendsOf(QueueDatabase), settings.Fans):F3} ms, load generator {joinCpu.MillisecondsPer(SystemProcesses.Bench, settings.Fans):F3} ms");
        }

        if (reads.Cpu is { } readCpu)
        {
            output.WriteLine($"  CPU per read {readCpu.BoxCores * readCpu.Elapsed.TotalMilliseconds / settings.StatusReads:F3} ms of the box: Queue {readCpu.MillisecondsPer(QueueCpu, settings.StatusReads):F3} ms, " +
                $"gateway {readCpu.MillisecondsPer(GatewayCpu, settings.StatusReads):F3} ms, load generator {readCpu.MillisecondsPer(SystemProcesses.Bench, settings.StatusReads):F3} ms");
        }

        if (directJoins is not null && directReads is not null)
        {
            output.WriteLine($"  reference    straight to the Queue: joins {directJoins.PerSecond:N0}/s, reads {directReads.PerSecond:N0}/s; " +
                $"through the gateway: {joins.PerSecond / directJoins.PerSecond:P0} of the joins, {reads.PerSecond / directReads.PerSecond:P0} of the reads");
        }

        output.WriteLine($"  ceilings     this box now: {liveDirect.PerSecond:N0}/s of /health/live straight to the Queue, {drawThroughGateway.PerSecond:N0}/s of an anonymous " +
            $"read through the gateway; status reads reached {reads.PerSecond / drawThroughGateway.PerSecond:P0} of the latter");
        return checks.AllPassed;
    }

    private static async Task<PhaseFigures> ClosedLoopAsync(
        string name, int count, int concurrency, Func<int, Task<QueueAnswer>> call, bool meterCpu, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        var statuses = new ConcurrentDictionary<int, int>();
        var succeeded = 0;
        var cpu = meterCpu ? CpuMeter.Start(CpuGroups) : null;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, _) =>
        {
            var answer = await call(i);
            latencies[i] = answer.Milliseconds;
            statuses.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
            if (answer.Status is 200 or 201)
            {
                Interlocked.Increment(ref succeeded);
            }
        });
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new PhaseFigures(name, count, succeeded, elapsed, new Stats(latencies), cpu?.Stop(), statuses);
    }

    /// <summary>Sends <paramref name="count"/> calls at <paramref name="rate"/> per second; latency from each call's scheduled time.</summary>
    private static async Task<PhaseFigures> OpenLoopAsync(string name, int count, int rate, Func<int, Task<QueueAnswer>> call, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        var statuses = new ConcurrentDictionary<int, int>();
        var succeeded = 0;
        var cpu = CpuMeter.Start(CpuGroups);
        var started = Stopwatch.GetTimestamp();
        var calls = new List<Task>(count);
        var sent = 0;
        while (sent < count)
        {
            var due = Math.Min(count, (int)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                var i = sent;
                var scheduled = started + (long)((double)i / rate * Stopwatch.Frequency);
                calls.Add(Task.Run(async () =>
                {
                    var answer = await call(i);
                    latencies[i] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                    statuses.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
                    if (answer.Status is 200 or 201)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                }, cancellationToken));
            }

            await Task.Delay(1, cancellationToken);
        }

        await Task.WhenAll(calls);
        return new PhaseFigures(name, count, succeeded, Stopwatch.GetElapsedTime(started), new Stats(latencies), cpu?.Stop(), statuses);
    }

    private static void Print(TextWriter output, PhaseFigures phase, string load)
    {
        output.WriteLine($"  {phase.Name,-26} {phase.Succeeded:N0} of {phase.Requests:N0} in {phase.Elapsed.TotalSeconds:F2} s = {phase.PerSecond:N0}/s; {phase.Latency.Milliseconds()} at {load}");
        if (phase.Cpu is { } cpu)
        {
            output.WriteLine($"  {"",-26} CPU: {cpu}");
        }
    }

    private static string Describe(IReadOnlyDictionary<int, int> statuses) =>
        string.Join(", ", statuses.OrderBy(pair => pair.Key).Select(pair => $"{(pair.Key == 0 ? "no answer" : pair.Key.ToString())}: {pair.Value:N0}"));
}
