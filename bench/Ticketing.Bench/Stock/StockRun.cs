using System.Diagnostics;
using MassTransit;
using Npgsql;
using Ticketing.Bench.Infrastructure;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Bench.Stock;

/// <summary>What a phase measured.</summary>
internal sealed record PhaseResult(int Requests, int Reserved, int Answered, double ReservationRate, double AnswerRate, Stats Latency);

/// <summary>What was seen around the system while the burst ran, for "where the time goes".</summary>
internal sealed record BurstObservations(
    PostgresActivitySampler Waits, QueueSampler Queue, CpuUsage? Cpu, DatabaseActivity Database);

internal sealed class StockRun(StockSettings settings) : IBenchmarkRun
{
    /// <summary>The Catalog's queue for <c>ReserveStock</c> and its database (see services/Catalog).</summary>
    private const string CatalogQueue = "catalog-reserve-stock";
    private const string CatalogDatabase = "ticketing_catalog";

    /// <summary>The Catalog's endpoint settings (MessagingOptions defaults), given to the broker ceiling's no-op consumer.</summary>
    private const int CatalogPrefetch = 32;
    private const int CatalogConcurrency = 16;

    private const int WarmUpRequests = 20;
    private const int BrokerWarmUpMessages = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WaitSampleInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QueueSampleInterval = TimeSpan.FromSeconds(1);

    private const string BenchCpu = SystemProcesses.Bench;
    private const string CatalogCpu = "Catalog";
    private const string CatalogDatabaseCpu = "PostgreSQL backends of " + CatalogDatabase;
    private const string RabbitMqCpu = SystemProcesses.RabbitMq;

    /// <summary>Whose CPU it was during a phase: the running services by their dll, PostgreSQL backends by database.</summary>
    private static readonly ProcessGroup[] CpuGroups =
    [
        SystemProcesses.TheBench(),
        SystemProcesses.Service(CatalogCpu),
        SystemProcesses.PostgresBackends(CatalogDatabase),
        SystemProcesses.OtherPostgres(),
        SystemProcesses.Broker(),
        SystemProcesses.Services("gateway, Orders, Tickets", "Gateway", "Orders", "Tickets"),
    ];

    private readonly Servers servers = settings.Servers;
    private readonly AnswerBook book = new();
    private readonly string runTag = Guid.NewGuid().ToString("N")[..8];

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var catalog = new CatalogApi(servers.Gateway);
        using var management = new RabbitMqManagement(servers.RabbitMqManagement, servers.VirtualHost);
        await using var postgres = servers.Database("postgres", 2);
        await PrintSystemAsync(output, management, postgres, cancellationToken);

        var bus = servers.CreateBus(rabbit => rabbit.ReceiveEndpoint($"bench-stock-answers-{runTag}", endpoint =>
        {
            endpoint.AutoDelete = true;
            endpoint.Durable = false;
            endpoint.PrefetchCount = 256;

            // The handler only records a timestamp. MassTransit gives the channel as many consumer-dispatch loops as the
            // concurrency limit (the prefetch count when unset) and every delivery wakes all of them: unset, 50 answers/s
            // made ~50,000 thread-pool work items/s here, CPU taken from the system being measured on the same box.
            endpoint.ConcurrentMessageLimit = 1;
            endpoint.Handler<StockReserved>(context =>
            {
                book.Record(context.Message.OrderId, context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<StockReservationRejected>(context =>
            {
                book.Record(context.Message.OrderId, context.Message);
                return Task.CompletedTask;
            });
        }));
        using (var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            starting.CancelAfter(StartTimeout);
            await bus.StartAsync(starting.Token);
        }

        try
        {
            await WarmUpAsync(output, bus, cancellationToken);
            var checks = new Checks(output);
            var (burst, seen) = await BurstAsync(output, checks, catalog, management, postgres, bus, cancellationToken);
            var modest = await OpenLoopAsync(output, checks, catalog, management, bus, burst.AnswerRate, cancellationToken);
            var (broker, sql) = await CeilingsAsync(output, checks, bus, cancellationToken);
            PrintSummary(output, burst, modest, broker, sql, checks);
            PrintWhereTheTimeGoes(output, burst, seen, broker, sql);
            return checks.AllPassed;
        }
        finally
        {
            using var stopping = new CancellationTokenSource(StartTimeout);
            await bus.StopAsync(stopping.Token);
        }
    }

    private static async Task PrintSystemAsync(
        TextWriter output, RabbitMqManagement management, NpgsqlDataSource postgres, CancellationToken cancellationToken)
    {
        await using var version = postgres.CreateCommand("SHOW server_version");
        var queue = await management.QueueAsync(CatalogQueue, cancellationToken)
            ?? throw new InvalidOperationException($"Queue {CatalogQueue} does not exist: is the system running (./ticketing up -d)?");
        output.WriteLine($"  RabbitMQ     {await management.VersionAsync(cancellationToken)}; PostgreSQL {await version.ExecuteScalarAsync(cancellationToken)}");
        output.WriteLine($"  Catalog      queue {CatalogQueue}: {queue.Consumers} consumer(s), prefetch {queue.ConsumerPrefetch?.ToString() ?? "?"}");
        output.WriteLine();
    }

    /// <summary>Requests for an unknown product (answered unknown_product, nothing reserved): warms both ends, not measured.</summary>
    private async Task WarmUpAsync(TextWriter output, IBus bus, CancellationToken cancellationToken)
    {
        var phase = book.Begin(NewOrders(Guid.NewGuid(), WarmUpRequests, "warmup"));
        await Task.WhenAll(phase.Orders.Select(order => PublishAsync(bus, order, cancellationToken)));
        try
        {
            await phase.AllAnswered.WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The Catalog answered {phase.Answered} of {WarmUpRequests} warm-up requests within {StartTimeout.TotalSeconds:F0} s: is it running and consuming {CatalogQueue}?");
        }

        output.WriteLine($"Warm-up: {WarmUpRequests} requests for an unknown product, all answered (not measured).");
        output.WriteLine();
    }

    /// <summary>Closed burst: every request published at once; throughput over the time to the last reservation.</summary>
    private async Task<(PhaseResult Result, BurstObservations Seen)> BurstAsync(
        TextWriter output, Checks checks, CatalogApi catalog, RabbitMqManagement management, NpgsqlDataSource postgres, IBus bus,
        CancellationToken cancellationToken)
    {
        output.WriteLine($"== Phase 1: closed burst: {settings.Requests} requests published at once for one product of {settings.Stock} units ==");
        var product = await catalog.CreateProductAsync("burst", settings.Stock, cancellationToken);
        output.WriteLine($"  product {product.Id} ({product.Sku}), stock {product.Stock}, {product.LimitPerFan} per fan; one request per fan, 1 unit each");
        var errorsBefore = await ErrorQueueDepthAsync(management, cancellationToken);
        await management.WaitUntilIdleAsync(CatalogQueue, IdleTimeout, cancellationToken);

        var phase = book.Begin(NewOrders(product.Id, settings.Requests, "burst"));
        var waits = new PostgresActivitySampler();
        var queue = new QueueSampler();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var samplers = Task.WhenAll(
            waits.RunAsync(postgres, CatalogDatabase, WaitSampleInterval, sampling.Token),
            queue.RunAsync(management, CatalogQueue, QueueSampleInterval, sampling.Token));
        var databaseBefore = await DatabaseActivity.ReadAsync(postgres, CatalogDatabase, cancellationToken);
        var cpu = CpuMeter.Start(CpuGroups);

        var publishes = new Task[phase.Orders.Count];
        for (var i = 0; i < publishes.Length; i++)
        {
            phase.Orders[i].StartedAt = Stopwatch.GetTimestamp();
            publishes[i] = PublishAsync(bus, phase.Orders[i], cancellationToken);
        }

        await Task.WhenAll(publishes).WaitAsync(settings.AnswerTimeout, cancellationToken);
        var published = Stopwatch.GetElapsedTime(phase.Orders[0].StartedAt);
        await WaitForAnswersAsync(output, phase, cancellationToken);
        var cpuUsage = cpu?.Stop();
        await sampling.CancelAsync();
        await SamplersAsync(output, samplers);

        var result = Measure(phase);
        output.WriteLine($"  published   {phase.Orders.Count} in {published.TotalSeconds:F2} s (publisher confirms)");
        output.WriteLine($"  answered    {result.Answered} ({result.Reserved} reserved, {result.Answered - result.Reserved} rejected)");
        output.WriteLine($"  throughput  {result.ReservationRate:F1} reservations/s (reservations / time from the first publish to the last reservation)");
        output.WriteLine($"  answers/s   {result.AnswerRate:F1} (all answers / time from the first publish to the last answer)");
        output.WriteLine($"  latency     {result.Latency.Milliseconds()}  [all answers; publish start to answer]");
        output.WriteLine($"              {Latencies(phase.Orders.Where(order => order.Answers > 0 && order.Reserved)).Milliseconds()}  [reserved]");
        output.WriteLine($"              {Latencies(phase.Orders.Where(order => order.Answers > 0 && !order.Reserved)).Milliseconds()}  [rejected]");
        output.WriteLine($"              With all {phase.Orders.Count} in flight this latency is queueing (Little's law): the k-th answer waits about");
        output.WriteLine($"              k / {result.AnswerRate:F0} per second whatever each one costs; see phase 2 for latency at a stated load.");
        output.WriteLine($"  CPU         {cpuUsage?.ToString() ?? "not measured (no /proc)"}");

        await SettleAndVerifyAsync(output, checks, catalog, management, phase, product, Math.Min(settings.Stock, settings.Requests), errorsBefore, queue, cancellationToken);
        await Task.Delay(DatabaseActivity.FlushDelay, cancellationToken);
        var database = await DatabaseActivity.ReadAsync(postgres, CatalogDatabase, cancellationToken) - databaseBefore;
        output.WriteLine();
        return (result, new BurstObservations(waits, queue, cpuUsage, database));
    }

    /// <summary>Open loop: arrivals at a fixed rate whether or not earlier ones were answered; latency from the scheduled arrival.</summary>
    private async Task<PhaseResult> OpenLoopAsync(
        TextWriter output, Checks checks, CatalogApi catalog, RabbitMqManagement management, IBus bus, double burstAnswerRate,
        CancellationToken cancellationToken)
    {
        var arrivals = settings.Rate * settings.DurationSeconds;
        output.WriteLine($"== Phase 2: modest load: open loop, {settings.Rate} arrivals/s for {settings.DurationSeconds} s ({arrivals} requests), a unit for each ==");
        var product = await catalog.CreateProductAsync("open-loop", arrivals, cancellationToken);
        output.WriteLine($"  product {product.Id} ({product.Sku}), stock {product.Stock}, {product.LimitPerFan} per fan");
        var errorsBefore = await ErrorQueueDepthAsync(management, cancellationToken);
        await management.WaitUntilIdleAsync(CatalogQueue, IdleTimeout, cancellationToken);

        var phase = book.Begin(NewOrders(product.Id, arrivals, "steady"));
        var publishes = new Task[arrivals];
        var ticksPerArrival = (double)Stopwatch.Frequency / settings.Rate;
        var cpu = CpuMeter.Start(CpuGroups);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < arrivals; i++)
        {
            var due = start + (long)(i * ticksPerArrival);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                // Whole milliseconds, rounded up: a shorter delay would send early and flatter the latency.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
            }

            phase.Orders[i].StartedAt = due; // a late send counts against the latency (no coordinated omission)
            publishes[i] = PublishAsync(bus, phase.Orders[i], cancellationToken);
        }

        await Task.WhenAll(publishes).WaitAsync(settings.AnswerTimeout, cancellationToken);
        await WaitForAnswersAsync(output, phase, cancellationToken);
        var cpuUsage = cpu?.Stop();

        var result = Measure(phase);
        var sendLag = new Stats(phase.Orders.Select(order => Stopwatch.GetElapsedTime(order.StartedAt, order.PublishedAt).TotalMilliseconds));
        output.WriteLine($"  answered    {result.Answered} ({result.Reserved} reserved) at {result.AnswerRate:F1} answers/s");
        output.WriteLine($"  latency     {result.Latency.Milliseconds()}  [open loop at {settings.Rate}/s; scheduled arrival to answer]");
        output.WriteLine($"  send lag    {sendLag.Milliseconds()}  [the generator's lateness behind the schedule, included above]");
        output.WriteLine($"  CPU         {cpuUsage?.ToString() ?? "not measured (no /proc)"}");
        if (burstAnswerRate > 0 && settings.Rate > 0.8 * burstAnswerRate)
        {
            output.WriteLine($"  NOTE        {settings.Rate}/s is {settings.Rate / burstAnswerRate:P0} of the {burstAnswerRate:F0} answers/s the burst measured: not a modest load here,");
            output.WriteLine("              so this latency is mostly queueing too. A lower --rate gives the latency of a system with headroom.");
        }

        await SettleAndVerifyAsync(output, checks, catalog, management, phase, product, arrivals, errorsBefore, queue: null, cancellationToken);
        output.WriteLine();
        return result;
    }

    /// <summary>Each ceiling --ceiling-runs times; the run with the median rate counts.</summary>
    private async Task<(BrokerCeilingResult Broker, SqlCeilingResult Sql)> CeilingsAsync(
        TextWriter output, Checks checks, IBusControl bus, CancellationToken cancellationToken)
    {
        output.WriteLine($"== Ceilings, same run, N = {settings.Requests}, median of {settings.CeilingRuns} ==");
        await BrokerCeiling.MeasureAsync(bus, BrokerWarmUpMessages, CatalogPrefetch, CatalogConcurrency, settings.AnswerTimeout, cancellationToken);
        var brokerRuns = new List<BrokerCeilingResult>();
        var sqlRuns = new List<SqlCeilingResult>();
        for (var run = 0; run < settings.CeilingRuns; run++)
        {
            brokerRuns.Add(await BrokerCeiling.MeasureAsync(
                bus, settings.Requests, CatalogPrefetch, CatalogConcurrency, settings.AnswerTimeout, cancellationToken));
            sqlRuns.Add(await SqlCeiling.MeasureAsync(
                servers, settings.Requests, settings.Stock, settings.SqlConnections, settings.AnswerTimeout, cancellationToken));
        }

        var broker = Median(brokerRuns, result => result.Rate);
        var sql = Median(sqlRuns, result => result.ClaimRate);
        output.WriteLine($"  broker      {broker.Rate:F0} msgs/s published+consumed (runs: {string.Join(", ", brokerRuns.Select(result => result.Rate.ToString("F0")))})");
        output.WriteLine($"              {broker.Messages} published at once, confirms on, no-op consumer with prefetch {broker.PrefetchCount} and {broker.ConcurrentMessageLimit} concurrent");
        output.WriteLine($"              like the Catalog's endpoint; all published after {broker.PublishedAfter.TotalSeconds:F2} s = {broker.PublishRate:F0}/s; after a {BrokerWarmUpMessages}-message warm-up");
        output.WriteLine($"  SQL         {sql.ClaimRate:F0} claims/s (runs: {string.Join(", ", sqlRuns.Select(result => result.ClaimRate.ToString("F0")))})");
        output.WriteLine($"              {sql.Claimed} successful UPDATEs / {sql.LastClaimAfter.TotalSeconds:F2} s to the last one, {sql.Connections} connections, database {SqlCeiling.ScratchDatabase};");
        output.WriteLine($"              {sql.StatementRate:F0} statements/s over all {sql.Statements} ({sql.Statements - sql.Claimed} missed: stock gone, nothing written)");
        checks.Check(
            sqlRuns.All(result => result.IsCorrect),
            $"SQL ceiling claimed exactly min(stock, N) = {Math.Min(sql.Stock, sql.Statements)} in every run: {string.Join(", ", sqlRuns.Select(result => $"{result.Claimed} claims, row says {result.FinalReserved}"))}");
        output.WriteLine();
        return (broker, sql);
    }

    private static T Median<T>(List<T> runs, Func<T, double> rate) => runs.OrderBy(rate).ElementAt(runs.Count / 2);

    private async Task WaitForAnswersAsync(TextWriter output, Phase phase, CancellationToken cancellationToken)
    {
        try
        {
            await phase.AllAnswered.WaitAsync(settings.AnswerTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            output.WriteLine($"  only {phase.Answered} of {phase.Orders.Count} requests answered within {settings.AnswerTimeoutSeconds} s");
        }
    }

    /// <summary>
    /// Lets the Catalog's queue drain (so a duplicate answer would have arrived), reads the product back and
    /// checks it against the answers.
    /// </summary>
    private static async Task SettleAndVerifyAsync(
        TextWriter output, Checks checks, CatalogApi catalog, RabbitMqManagement management, Phase phase, ProductView created,
        int expectedReserved, long errorsBefore, QueueSampler? queue, CancellationToken cancellationToken)
    {
        try
        {
            queue?.Add(await management.WaitUntilIdleAsync(CatalogQueue, IdleTimeout, cancellationToken));
        }
        catch (TimeoutException exception)
        {
            output.WriteLine($"  {exception.Message}");
        }

        var product = await catalog.GetProductAsync(created.Id, cancellationToken);
        var errorsAfter = await ErrorQueueDepthAsync(management, cancellationToken);
        var orders = phase.Orders;
        var reserved = orders.Count(order => order.Answers > 0 && order.Reserved);
        var rejections = orders.Where(order => order.Answers > 0 && !order.Reserved).ToList();
        var otherReasons = rejections
            .Where(order => order.RejectionReason != StockRejectionReasons.OutOfStock)
            .GroupBy(order => order.RejectionReason)
            .Select(group => $"{group.Key} x{group.Count()}")
            .ToList();
        var publishErrors = orders.Where(order => order.PublishError is not null).ToList();

        output.WriteLine($"  product now: stock {product.Stock}, reserved {product.Reserved}, sold {product.Sold}, available {product.Available}");
        output.WriteLine("  correctness:");
        checks.Check(
            publishErrors.Count == 0,
            $"every request published ({publishErrors.Count} failed{(publishErrors.Count > 0 ? ": " + publishErrors[0].PublishError!.Message : "")})");
        checks.Check(
            orders.All(order => order.Answers == 1),
            $"every request answered exactly once ({orders.Count(order => order.Answers > 0)}/{orders.Count} answered, " +
            $"{orders.Count(order => order.Answers == 0)} missing, {orders.Count(order => order.Answers > 1)} answered more than once)");
        checks.Check(
            !orders.Any(order => order.Mismatched),
            $"every answer names its request's fan, product and quantity ({orders.Count(order => order.Mismatched)} do not)");
        checks.Check(product.Reserved == reserved, $"reserved {product.Reserved} == StockReserved answers {reserved}");
        checks.Check(product.Reserved <= product.Stock, $"reserved {product.Reserved} <= stock {product.Stock}");
        checks.Check(product.Available == product.Stock - product.Reserved, $"available {product.Available} == stock - reserved {product.Stock - product.Reserved}");
        checks.Check(
            otherReasons.Count == 0,
            $"every rejection is out_of_stock ({rejections.Count} rejected{(otherReasons.Count > 0 ? "; other reasons: " + string.Join(", ", otherReasons) : "")})");
        checks.Check(reserved == expectedReserved, $"nothing rejected while stock was left: {reserved} reserved == min(stock, requests) {expectedReserved}");
        checks.Check(errorsAfter <= errorsBefore, $"no new message in {CatalogQueue}_error ({errorsBefore} before, {errorsAfter} after)");
    }

    private void PrintSummary(TextWriter output, PhaseResult burst, PhaseResult modest, BrokerCeilingResult broker, SqlCeilingResult sql, Checks checks)
    {
        output.WriteLine("== Summary ==");
        output.WriteLine("| figure | value |");
        output.WriteLine("| --- | --- |");
        output.WriteLine($"| reservations/s, burst of {burst.Requests} ({burst.Reserved} reserved) | {burst.ReservationRate:F0} |");
        output.WriteLine($"| answers/s, burst | {burst.AnswerRate:F0} |");
        output.WriteLine($"| latency, burst ({burst.Requests} in flight) | {Percentiles(burst.Latency)} |");
        output.WriteLine($"| latency, open loop {settings.Rate}/s for {settings.DurationSeconds} s | {Percentiles(modest.Latency)} |");
        output.WriteLine($"| broker ceiling, publish+consume msgs/s | {broker.Rate:F0} |");
        output.WriteLine($"| SQL ceiling, claims/s ({sql.Connections} connections) | {sql.ClaimRate:F0} |");
        output.WriteLine($"| ratio reservations/s ÷ broker msgs/s | {burst.ReservationRate / broker.Rate:F3} |");
        output.WriteLine($"| ratio reservations/s ÷ SQL claims/s | {burst.ReservationRate / sql.ClaimRate:F3} |");
        output.WriteLine($"| correctness | {(checks.AllPassed ? "all checks passed" : $"FAILED ({checks.Failed} checks)")} |");
        output.WriteLine();
    }

    private static void PrintWhereTheTimeGoes(
        TextWriter output, PhaseResult burst, BurstObservations seen, BrokerCeilingResult broker, SqlCeilingResult sql)
    {
        output.WriteLine("== Where the time goes (burst) ==");
        var queue = seen.Queue;
        var database = seen.Database;
        var answers = Math.Max(1, burst.Answered);
        var cpu = seen.Cpu is { } usage
            ? $"CPU: {usage}. Per answer: Catalog {usage.MillisecondsPer(CatalogCpu, answers):F1} ms, its PostgreSQL backends " +
              $"{usage.MillisecondsPer(CatalogDatabaseCpu, answers):F1} ms, RabbitMQ {usage.MillisecondsPer(RabbitMqCpu, answers):F1} ms, " +
              $"the bench {usage.MillisecondsPer(BenchCpu, answers):F1} ms of CPU. "
            : "CPU: not measured (no /proc). ";
        output.WriteLine(
            $"  {cpu}The Catalog answered one request every {1000 / burst.AnswerRate:F1} ms ({burst.AnswerRate:F0}/s) while, on the same box, " +
            $"the broker alone moves {broker.Rate:F0} msgs/s and the database alone commits {sql.ClaimRate:F0} one-row claims/s (one transaction each). " +
            $"{CatalogDatabase} committed {(double)database.Commits / answers:F1} transactions and wrote {(double)database.RowsWritten / answers:F1} rows " +
            $"per answer (pg_stat_database, all its clients, background work included). " +
            $"RabbitMQ ({CatalogQueue}, {queue.Last?.Consumers ?? 0} consumer(s), prefetch {queue.Last?.ConsumerPrefetch?.ToString() ?? "?"}): " +
            $"up to {queue.MaxReady} requests waiting, publish in up to {queue.MaxPublishRate:F0}/s, deliver up to {queue.MaxDeliverRate:F0}/s, " +
            $"ack up to {queue.MaxAckRate:F0}/s (management stats, 5 s windows). " +
            $"PostgreSQL ({CatalogDatabase}, {seen.Waits.Samples} samples of pg_stat_activity every {WaitSampleInterval.TotalMilliseconds:F0} ms, " +
            $"at most {seen.Waits.MaxActive} backends active), the most common states and waits in average backends per sample:");
        foreach (var (what, backends, share) in seen.Waits.Top(6))
        {
            output.WriteLine($"    {backends,6:F1}  {share,4:P0}  {what}{Meaning(what)}");
        }
    }

    private static string Meaning(string what) => what switch
    {
        _ when what.StartsWith("idle in transaction", StringComparison.Ordinal) => "  (a transaction open, waiting for the service's next statement)",
        _ when what.StartsWith("idle ", StringComparison.Ordinal) => "  (pooled connection, no work)",
        _ when what.Contains(" Lock:", StringComparison.Ordinal) => "  (waiting for another transaction's lock)",
        _ when what.Contains("WAL", StringComparison.Ordinal) => "  (commit: WAL write/flush)",
        _ when what.Contains("no wait", StringComparison.Ordinal) => "  (executing)",
        _ => "",
    };

    private static async Task<long> ErrorQueueDepthAsync(RabbitMqManagement management, CancellationToken cancellationToken) =>
        (await management.QueueAsync(CatalogQueue + "_error", cancellationToken))?.Messages ?? 0;

    private static async Task SamplersAsync(TextWriter output, Task samplers)
    {
        try
        {
            await samplers;
        }
        catch (Exception exception) when (exception is NpgsqlException or HttpRequestException)
        {
            output.WriteLine($"  (sampling stopped early: {exception.Message})");
        }
    }

    private List<Order> NewOrders(Guid productId, int count, string phase) =>
        Enumerable.Range(0, count).Select(i => new Order(Guid.NewGuid(), $"bench-{runTag}-{phase}-{i}", productId)).ToList();

    private static async Task PublishAsync(IBus bus, Order order, CancellationToken cancellationToken)
    {
        order.PublishedAt = Stopwatch.GetTimestamp();
        try
        {
            await bus.Publish(new ReserveStock(order.Id, order.FanId, [new StockLine(order.ProductId, 1)]), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            order.PublishError = exception;
        }
    }

    private static PhaseResult Measure(Phase phase)
    {
        var answered = phase.Orders.Where(order => order.Answers > 0).ToList();
        var reserved = answered.Where(order => order.Reserved).ToList();
        var first = phase.Orders.Min(order => order.StartedAt);
        return new PhaseResult(
            phase.Orders.Count,
            reserved.Count,
            answered.Count,
            reserved.Count == 0 ? 0 : Stats.Rate(reserved.Count, Stopwatch.GetElapsedTime(first, reserved.Max(order => order.AnsweredAt))),
            answered.Count == 0 ? 0 : Stats.Rate(answered.Count, Stopwatch.GetElapsedTime(first, answered.Max(order => order.AnsweredAt))),
            Latencies(answered));
    }

    private static Stats Latencies(IEnumerable<Order> answered) => new(answered.Select(order => order.Latency.TotalMilliseconds));

    private static string Percentiles(Stats latency) =>
        latency.Count == 0 ? "no answers" : $"p50 {latency.P50:F0} / p95 {latency.P95:F0} / p99 {latency.P99:F0} / max {latency.Max:F0} ms";
}
