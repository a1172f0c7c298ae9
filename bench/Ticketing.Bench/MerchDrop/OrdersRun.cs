using System.Diagnostics;
using MassTransit;
using Npgsql;
using Ticketing.Bench.Infrastructure;
using Ticketing.Bench.Stock;
using Ticketing.Contracts.Orders;

namespace Ticketing.Bench.MerchDrop;

/// <summary>One fan's checkout: when it was sent, what came back, and its final message.</summary>
internal sealed class Placement(string fanId)
{
    public string FanId { get; } = fanId;
    public string IdempotencyKey { get; } = Guid.NewGuid().ToString("N");
    public long SentAt { get; set; }
    public long AnsweredAt { get; set; }
    public PlaceAnswer? Answer { get; set; }
    public bool Accepted => Answer is { Status: 202 };
}

/// <summary>What the drop measured and what was seen around the system while it ran.</summary>
internal sealed record DropResult(
    IReadOnlyList<Placement> Placements,
    int Accepted,
    int Settled,
    int Confirmed,
    int Cancelled,
    double SettleRate,
    double PlacementRate,
    TimeSpan ToLastFinal,
    Stats TimeToFinal,
    Stats PlaceLatency,
    CpuUsage? Cpu,
    IReadOnlyDictionary<string, PostgresActivitySampler> Waits,
    IReadOnlyDictionary<string, QueueSampler> Queues);

internal sealed class OrdersRun(OrdersSettings settings) : IBenchmarkRun
{
    private const string OrdersDatabase = "ticketing_orders";
    private const string CatalogDatabase = "ticketing_catalog";
    private const string InsightsDatabase = "ticketing_insights";
    private const string ReserveQueue = "catalog-reserve-stock";
    private const string ReservedQueue = "orders-merch-reserved";
    private const string RefusedQueue = "orders-merch-refused";
    private const string PaymentsLatencyKey = "Payments:Simulated:Latency";
    private const string CheckoutTimeoutKey = "Orders:Checkout:Timeout";

    /// <summary>The services' endpoint settings (MessagingOptions defaults), given to the broker ceiling's no-op consumer.</summary>
    private const int ServicePrefetch = 32;
    private const int ServiceConcurrency = 16;

    /// <summary>Deliveries per merch order to the services' queues, from the code, when the broker's counters say nothing.</summary>
    private const int MessagesPerOrderFromCode = 4;

    private const int ReadBackConcurrency = 32;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PriceBookTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StragglerWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan CatalogCommitTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan BrokerStatsInterval = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan WaitSampleInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QueueSampleInterval = TimeSpan.FromSeconds(1);

    private const string OrdersCpu = "Orders";
    private const string CatalogCpu = "Catalog";
    private const string GatewayCpu = "Gateway";

    private static readonly ProcessGroup[] CpuGroups =
    [
        SystemProcesses.TheBench(),
        SystemProcesses.Service(GatewayCpu),
        SystemProcesses.Service(OrdersCpu),
        SystemProcesses.Service(CatalogCpu),
        SystemProcesses.PostgresBackends(OrdersDatabase),
        SystemProcesses.PostgresBackends(CatalogDatabase),
        SystemProcesses.PostgresBackends(InsightsDatabase),
        SystemProcesses.OtherPostgres(),
        SystemProcesses.Broker(),
        SystemProcesses.Service("Tickets"),
        SystemProcesses.Service("Insights"),
    ];

    private readonly Servers servers = settings.Servers;
    private readonly FinalBook finals = new();
    private readonly string runTag = Guid.NewGuid().ToString("N")[..8];

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var catalog = new CatalogApi(servers.Gateway);
        using var checkout = new CheckoutApi(servers.Gateway, settings.InFlight + ReadBackConcurrency);
        using var management = new RabbitMqManagement(servers.RabbitMqManagement, servers.VirtualHost);
        await using var postgres = servers.Database("postgres", 3);
        await PrintSystemAsync(output, management, postgres, cancellationToken);

        var bus = servers.CreateBus(rabbit => rabbit.ReceiveEndpoint($"bench-orders-final-{runTag}", endpoint =>
        {
            endpoint.AutoDelete = true;
            endpoint.Durable = false;
            endpoint.PrefetchCount = 256;
            endpoint.ConcurrentMessageLimit = 1; // the handler only records a timestamp (see StockRun for why 1)
            endpoint.Handler<OrderConfirmed>(context =>
            {
                finals.Record(context.Message.OrderId, confirmed: true, reason: null, context.Message.FanId);
                return Task.CompletedTask;
            });
            endpoint.Handler<OrderCancelled>(context =>
            {
                finals.Record(context.Message.OrderId, confirmed: false, context.Message.Reason, context.Message.FanId);
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
            var checks = new Checks(output);
            var product = await PrepareAsync(output, catalog, checkout, cancellationToken);
            var (drop, database, messages) = await DropAsync(output, checks, catalog, checkout, management, postgres, product, cancellationToken);
            var broker = await CeilingAsync(output, bus, messages, cancellationToken);
            PrintSummary(output, drop, messages, broker, checks);
            PrintWhereTheTimeGoes(output, drop, database, messages, broker);
            return checks.AllPassed;
        }
        finally
        {
            using var stopping = new CancellationTokenSource(StartTimeout);
            await bus.StopAsync(stopping.Token);
        }
    }

    private async Task PrintSystemAsync(TextWriter output, RabbitMqManagement management, NpgsqlDataSource postgres, CancellationToken cancellationToken)
    {
        await using var version = postgres.CreateCommand("SHOW server_version");
        var reserved = await management.QueueAsync(ReservedQueue, cancellationToken)
            ?? throw new InvalidOperationException($"Queue {ReservedQueue} does not exist: is the system running (./ticketing up -d)?");
        output.WriteLine($"  RabbitMQ     {await management.VersionAsync(cancellationToken)}; PostgreSQL {await version.ExecuteScalarAsync(cancellationToken)}");
        output.WriteLine($"  Orders       queue {ReservedQueue}: {reserved.Consumers} consumer(s), prefetch {reserved.ConsumerPrefetch?.ToString() ?? "?"}");
        output.WriteLine($"  payments     {PaymentsLatencyKey} = {ServiceSetting.Find("Ticketing.Orders.dll", PaymentsLatencyKey) ?? "not set: the default of SimulatedCardOptions, 30 ms"}");
        output.WriteLine("               (each call to the simulated card processor waits this long: tokenize in POST /api/orders, authorize before");
        output.WriteLine("               confirming, void after cancelling)");
        output.WriteLine($"  checkout     {CheckoutTimeoutKey} = {ServiceSetting.Find("Ticketing.Orders.dll", CheckoutTimeoutKey) ?? "not set: the default of CheckoutOptions, 60 s"}");
        output.WriteLine("               (a checkout still Pending after this long is cancelled with reason timeout)");
        output.WriteLine();
    }

    /// <summary>A fresh product through the gateway, and the wait until Orders' price book has it.</summary>
    private async Task<ProductView> PrepareAsync(TextWriter output, CatalogApi catalog, CheckoutApi checkout, CancellationToken cancellationToken)
    {
        var product = await catalog.CreateProductAsync("merch drop", settings.Stock, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var probes = 1;
        while (!await checkout.PriceBookKnowsAsync(product.Id, cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(start) > PriceBookTimeout)
            {
                throw new TimeoutException($"Orders' price book did not learn product {product.Id} within {PriceBookTimeout.TotalSeconds:F0} s.");
            }

            probes++;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        output.WriteLine($"  product {product.Id} ({product.Sku}): stock {product.Stock}, {product.LimitPerFan} per fan; in Orders' price book " +
                         $"{Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s after listing ({probes} probes, each a checkout refused 400 for its card number)");
        var warmUp = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, settings.InFlight).Select(_ => checkout.TouchAsync(cancellationToken)));
        output.WriteLine($"  warm-up: {settings.InFlight} reads of unknown orders at once in {Stopwatch.GetElapsedTime(warmUp).TotalSeconds:F1} s (opens the connections; not measured)");
        output.WriteLine();
        return product;
    }

    private async Task<(DropResult Drop, IReadOnlyDictionary<string, DatabaseActivity> Database, MessageCount Messages)> DropAsync(
        TextWriter output, Checks checks, CatalogApi catalog, CheckoutApi checkout, RabbitMqManagement management, NpgsqlDataSource postgres,
        ProductView product, CancellationToken cancellationToken)
    {
        output.WriteLine($"== Merch drop: {settings.Orders} orders of 1 unit for {settings.Stock} units, through the gateway, at most {settings.InFlight} POSTs in flight ==");
        var errorsBefore = await management.ErrorQueuesAsync(cancellationToken);
        var countersBefore = await management.CountersAsync(cancellationToken);
        var receivedBefore = finals.Received;
        var databases = new[] { OrdersDatabase, CatalogDatabase };
        var databaseBefore = new Dictionary<string, DatabaseActivity>();
        foreach (var name in databases)
        {
            databaseBefore[name] = await DatabaseActivity.ReadAsync(postgres, name, cancellationToken);
        }

        var waits = databases.ToDictionary(database => database, _ => new PostgresActivitySampler());
        var queues = new[] { ReserveQueue, ReservedQueue, RefusedQueue }.ToDictionary(queue => queue, _ => new QueueSampler());
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var samplerPool = servers.Database("postgres", databases.Length);
        var samplers = Task.WhenAll(
            waits.Select(entry => entry.Value.RunAsync(samplerPool, entry.Key, WaitSampleInterval, sampling.Token))
                .Concat(queues.Select(entry => entry.Value.RunAsync(management, entry.Key, QueueSampleInterval, sampling.Token))));
        var cpu = CpuMeter.Start(CpuGroups);

        var placements = Enumerable.Range(0, settings.Orders).Select(index => new Placement($"bench-{runTag}-fan-{index}")).ToList();
        var firstSent = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            placements,
            new ParallelOptions { MaxDegreeOfParallelism = settings.InFlight, CancellationToken = cancellationToken },
            async (placement, token) =>
            {
                placement.SentAt = Stopwatch.GetTimestamp();
                placement.Answer = await checkout.PlaceAsync(placement.FanId, placement.IdempotencyKey, product.Id, CheckoutApi.ApprovingCard, token);
                placement.AnsweredAt = Stopwatch.GetTimestamp();
            });
        var placedAfter = Stopwatch.GetElapsedTime(firstSent);
        var accepted = placements.Where(placement => placement.Accepted).ToList();
        output.WriteLine($"  placed        {accepted.Count} of {placements.Count} answered 202 in {placedAfter.TotalSeconds:F1} s");

        var settled = await WaitForFinalsAsync(output, accepted, cancellationToken);
        var cpuUsage = cpu?.Stop();
        await sampling.CancelAsync();
        await SamplersAsync(output, samplers);

        var drop = Measure(placements, firstSent, cpuUsage, waits, queues);
        PrintDrop(output, drop);
        await Task.Delay(StragglerWait, cancellationToken); // a duplicate final message would have arrived by now
        await VerifyAsync(output, checks, catalog, checkout, management, drop, product, errorsBefore, settled, cancellationToken);

        await Task.Delay(BrokerStatsInterval, cancellationToken);
        var counters = await management.CountersAsync(cancellationToken) - countersBefore;
        var messages = new MessageCount(drop.Accepted, counters.Published, counters.Delivered - (finals.Received - receivedBefore));
        output.WriteLine($"  messages      {messages.Published} published, {messages.Delivered} delivered to the services' queues during the drop " +
                         $"(virtual host counters, the benchmark's own {finals.Received - receivedBefore} left out): " +
                         $"{messages.PublishedPerOrder:F2} published and {messages.DeliveredPerOrder:F2} delivered per order");

        await Task.Delay(DatabaseActivity.FlushDelay, cancellationToken);
        var database = new Dictionary<string, DatabaseActivity>();
        foreach (var name in databases)
        {
            database[name] = await DatabaseActivity.ReadAsync(postgres, name, cancellationToken) - databaseBefore[name];
        }

        output.WriteLine();
        return (drop, database, messages);
    }

    /// <summary>Waits until every accepted order has its final message, or the timeout; the number settled.</summary>
    private async Task<int> WaitForFinalsAsync(TextWriter output, IReadOnlyList<Placement> accepted, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(settings.SettleTimeout.TotalSeconds * Stopwatch.Frequency);
        var waiting = accepted.ToList();
        while (waiting.Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            waiting.RemoveAll(placement => finals.HasFinal(placement.Answer!.OrderId));
            if (waiting.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }

        if (waiting.Count > 0)
        {
            output.WriteLine($"  NOT SETTLED   {waiting.Count} orders had no final message within {settings.SettleTimeoutSeconds} s, e.g. {waiting[0].Answer!.OrderId}");
        }

        return accepted.Count - waiting.Count;
    }

    private DropResult Measure(
        IReadOnlyList<Placement> placements, long firstSent, CpuUsage? cpu,
        IReadOnlyDictionary<string, PostgresActivitySampler> waits, IReadOnlyDictionary<string, QueueSampler> queues)
    {
        var accepted = placements.Where(placement => placement.Accepted).ToList();
        var settled = accepted
            .Select(placement => (Placement: placement, Final: finals.Of(placement.Answer!.OrderId).FirstOrDefault()))
            .Where(entry => entry.Final is not null)
            .ToList();
        var lastFinal = settled.Count == 0 ? firstSent : settled.Max(entry => entry.Final!.ReceivedAt);
        var lastAccepted = accepted.Count == 0 ? firstSent : accepted.Max(placement => placement.AnsweredAt);
        var toLastFinal = Stopwatch.GetElapsedTime(firstSent, lastFinal);
        return new DropResult(
            placements,
            accepted.Count,
            settled.Count,
            settled.Count(entry => entry.Final!.Confirmed),
            settled.Count(entry => !entry.Final!.Confirmed),
            Stats.Rate(settled.Count, toLastFinal),
            Stats.Rate(accepted.Count, Stopwatch.GetElapsedTime(firstSent, lastAccepted)),
            toLastFinal,
            new Stats(settled.Select(entry => Stopwatch.GetElapsedTime(entry.Placement.SentAt, entry.Final!.ReceivedAt).TotalMilliseconds)),
            new Stats(placements.Select(placement => Stopwatch.GetElapsedTime(placement.SentAt, placement.AnsweredAt).TotalMilliseconds)),
            cpu,
            waits,
            queues);
    }

    private void PrintDrop(TextWriter output, DropResult drop)
    {
        var refused = drop.Placements.Where(placement => !placement.Accepted).ToList();
        output.WriteLine($"  settled       {drop.Settled} orders ({drop.Confirmed} confirmed, {drop.Cancelled} cancelled) {drop.ToLastFinal.TotalSeconds:F2} s after the first POST");
        output.WriteLine($"  throughput    {drop.SettleRate:F0} settled orders/s (orders with a final message / time from the first POST to the last final message)");
        output.WriteLine($"  placement     {drop.PlacementRate:F0} accepted (202) orders/s; POST latency {drop.PlaceLatency.Milliseconds()}  [{settings.InFlight} in flight]");
        output.WriteLine($"  time to final {drop.TimeToFinal.Milliseconds()}  [POST sent to OrderConfirmed/OrderCancelled received]");
        output.WriteLine($"                {Finals(drop, confirmed: true).Milliseconds()}  [confirmed]");
        output.WriteLine($"                {Finals(drop, confirmed: false).Milliseconds()}  [cancelled]");
        output.WriteLine($"                With {settings.Orders} orders launched at once this is queueing: the k-th order waits about k / {drop.SettleRate:F0} s.");
        if (refused.Count > 0)
        {
            output.WriteLine($"  refused       {string.Join(", ", refused.GroupBy(placement => placement.Answer?.Status ?? 0).Select(group => $"{(group.Key == 0 ? "no answer" : group.Key.ToString())} x{group.Count()}"))}; " +
                             $"first: {refused[0].Answer?.Error}");
        }

        output.WriteLine($"  CPU           {drop.Cpu?.ToString() ?? "not measured (no /proc)"}");
    }

    private Stats Finals(DropResult drop, bool confirmed) => new(drop.Placements
        .Where(placement => placement.Accepted)
        .Select(placement => (placement, Final: finals.Of(placement.Answer!.OrderId).FirstOrDefault()))
        .Where(entry => entry.Final?.Confirmed == confirmed)
        .Select(entry => Stopwatch.GetElapsedTime(entry.placement.SentAt, entry.Final!.ReceivedAt).TotalMilliseconds));

    /// <summary>Every order read back as its fan, compared with its final message; and the product's counts.</summary>
    private async Task VerifyAsync(
        TextWriter output, Checks checks, CatalogApi catalog, CheckoutApi checkout, RabbitMqManagement management, DropResult drop,
        ProductView created, IReadOnlyDictionary<string, long> errorsBefore, int settled, CancellationToken cancellationToken)
    {
        var accepted = drop.Placements.Where(placement => placement.Accepted).ToList();
        var states = new OrderState[accepted.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, accepted.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadBackConcurrency, CancellationToken = cancellationToken },
            async (i, token) => states[i] = await checkout.GetAsync(accepted[i].Answer!.OrderId, accepted[i].FanId, token));

        var product = await catalog.GetProductAsync(created.Id, cancellationToken);
        var confirmed = states.Count(state => state.OrderStatus == "Confirmed");
        var waited = Stopwatch.StartNew();
        while ((product.Sold != confirmed || product.Reserved != 0) && waited.Elapsed < CatalogCommitTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            product = await catalog.GetProductAsync(created.Id, cancellationToken);
        }

        var errorsAfter = await management.ErrorQueuesAsync(cancellationToken);
        var newErrors = errorsAfter.Where(queue => queue.Value > errorsBefore.GetValueOrDefault(queue.Key))
            .Select(queue => $"{queue.Key} +{queue.Value - errorsBefore.GetValueOrDefault(queue.Key)}").ToList();
        var cancelled = states.Where(state => state.OrderStatus == "Cancelled").ToList();
        var otherReasons = cancelled.Where(state => state.Reason != OrderCancellationReasons.OutOfStock)
            .GroupBy(state => state.Reason ?? "none").Select(group => $"{group.Key} x{group.Count()}").ToList();
        var pending = states.Count(state => state.OrderStatus == "Pending");
        var unreadable = states.Count(state => state.Status != 200);
        var finalCounts = accepted.Select(placement => finals.Of(placement.Answer!.OrderId)).ToList();
        var settledTwice = finalCounts.Count(list => list.Count > 1);
        var disagree = accepted.Select((placement, i) => (Final: finalCounts[i].FirstOrDefault(), State: states[i]))
            .Count(entry => entry.Final is not null && (entry.Final.Confirmed ? "Confirmed" : "Cancelled") != entry.State.OrderStatus);
        var wrongFan = accepted.Select((placement, i) => (placement, Final: finalCounts[i].FirstOrDefault()))
            .Count(entry => entry.Final is not null && entry.Final.FanId != entry.placement.FanId);
        var expectedConfirmed = Math.Min(settings.Stock, settings.Orders);

        output.WriteLine($"  read back     {confirmed} Confirmed, {cancelled.Count} Cancelled, {pending} Pending, {unreadable} unreadable; " +
                         $"product: stock {product.Stock}, reserved {product.Reserved}, sold {product.Sold}, available {product.Available} ({waited.Elapsed.TotalSeconds:F1} s after the read-back)");
        output.WriteLine("  correctness:");
        checks.Check(drop.Accepted == settings.Orders, $"every checkout accepted (202): {drop.Accepted} of {settings.Orders}");
        checks.Check(settled == drop.Accepted, $"every accepted order has a final message: {settled} of {drop.Accepted}");
        checks.Check(settledTwice == 0, $"each order settled once (one final message each): {settledTwice} got more than one");
        checks.Check(confirmed == expectedConfirmed, $"exactly min(stock, orders) = {expectedConfirmed} Confirmed: {confirmed}");
        checks.Check(cancelled.Count == drop.Accepted - expectedConfirmed && otherReasons.Count == 0,
            $"the other {drop.Accepted - expectedConfirmed} Cancelled with reason out_of_stock: {cancelled.Count}{(otherReasons.Count > 0 ? "; other reasons: " + string.Join(", ", otherReasons) : "")}");
        checks.Check(pending == 0 && unreadable == 0, $"none left Pending ({pending}), every order readable by its fan ({unreadable} not)");
        checks.Check(disagree == 0 && wrongFan == 0, $"every final message agrees with the order as read back ({disagree} disagree, {wrongFan} name another fan)");
        checks.Check(product.Sold == confirmed && product.Reserved == 0 && product.Available == product.Stock - product.Sold,
            $"product sold {product.Sold} == Confirmed {confirmed}, reserved {product.Reserved} == 0, available {product.Available} == stock - sold {product.Stock - product.Sold}");
        checks.Check(newErrors.Count == 0, $"no new message in any *_error queue{(newErrors.Count > 0 ? ": " + string.Join(", ", newErrors) : "")}");
    }

    /// <summary>The broker alone, for the same number of messages the drop exchanged; the median of --ceiling-runs.</summary>
    private async Task<BrokerCeilingResult> CeilingAsync(TextWriter output, IBusControl bus, MessageCount messages, CancellationToken cancellationToken)
    {
        var perOrder = messages.DeliveredPerOrder >= 1 ? (int)Math.Round(messages.DeliveredPerOrder) : MessagesPerOrderFromCode;
        var count = messages.Orders * perOrder;
        output.WriteLine($"== Ceiling, same run: the broker, {count} messages ({messages.Orders} orders x {perOrder} deliveries each), median of {settings.CeilingRuns} ==");
        await BrokerCeiling.MeasureAsync(bus, 200, ServicePrefetch, ServiceConcurrency, settings.SettleTimeout, cancellationToken);
        var runs = new List<BrokerCeilingResult>();
        for (var run = 0; run < settings.CeilingRuns; run++)
        {
            runs.Add(await BrokerCeiling.MeasureAsync(bus, count, ServicePrefetch, ServiceConcurrency, settings.SettleTimeout, cancellationToken));
        }

        var median = runs.OrderBy(result => result.Rate).ElementAt(runs.Count / 2);
        output.WriteLine($"  broker      {median.Rate:F0} msgs/s published+consumed (runs: {string.Join(", ", runs.Select(result => result.Rate.ToString("F0")))})");
        output.WriteLine($"              {median.Messages} published at once, confirms on, no-op consumer with prefetch {median.PrefetchCount} and {median.ConcurrentMessageLimit} concurrent");
        output.WriteLine($"              like the services' endpoints; all published after {median.PublishedAfter.TotalSeconds:F2} s = {median.PublishRate:F0}/s; after a 200-message warm-up");
        output.WriteLine($"              = {median.Rate / perOrder:F0} orders/s if each order's {perOrder} messages were all it cost");
        output.WriteLine();
        return median;
    }

    private void PrintSummary(TextWriter output, DropResult drop, MessageCount messages, BrokerCeilingResult broker, Checks checks)
    {
        var perOrder = broker.Messages / (double)Math.Max(1, messages.Orders);
        output.WriteLine("== Summary ==");
        output.WriteLine("| figure | value |");
        output.WriteLine("| --- | --- |");
        output.WriteLine($"| **settled orders/s** ({drop.Settled} orders, first POST to last final message) | **{drop.SettleRate:F0}** |");
        output.WriteLine($"| placement, accepted (202) orders/s, {settings.InFlight} in flight | {drop.PlacementRate:F0} |");
        output.WriteLine($"| time to the last final message | {drop.ToLastFinal.TotalSeconds:F1} s |");
        output.WriteLine($"| time to final, all {settings.Orders} launched at once (queueing) | {Percentiles(drop.TimeToFinal)} |");
        output.WriteLine($"| POST latency, {settings.InFlight} in flight | {Percentiles(drop.PlaceLatency)} |");
        output.WriteLine($"| messages per order, published / delivered to the services | {messages.PublishedPerOrder:F2} / {messages.DeliveredPerOrder:F2} |");
        output.WriteLine($"| broker ceiling, publish+consume msgs/s ({broker.Messages} messages) | {broker.Rate:F0} |");
        output.WriteLine($"| **ratio settled orders/s ÷ (broker msgs/s ÷ {perOrder:F0} messages per order)** | **{drop.SettleRate * perOrder / broker.Rate:F3}** |");
        output.WriteLine($"| outcome | {drop.Confirmed} Confirmed, {drop.Cancelled} Cancelled |");
        output.WriteLine($"| correctness | {(checks.AllPassed ? "all checks passed" : $"FAILED ({checks.Failed} checks)")} |");
        output.WriteLine();
        output.WriteLine($"  target: >= 500 settled orders/s: {(drop.SettleRate >= 500 ? $"met ({drop.SettleRate:F0})" : $"MISSED ({drop.SettleRate:F0}, {(500 - drop.SettleRate) / 500:P0} short)")}");
        output.WriteLine();
    }

    private static void PrintWhereTheTimeGoes(
        TextWriter output, DropResult drop, IReadOnlyDictionary<string, DatabaseActivity> database, MessageCount messages, BrokerCeilingResult broker)
    {
        output.WriteLine("== Where the time goes ==");
        var orders = Math.Max(1, drop.Settled);
        if (drop.Cpu is { } cpu)
        {
            output.WriteLine($"  CPU: {cpu}.");
            output.WriteLine($"  CPU per settled order: {string.Join(", ", cpu.Groups.Where(group => group.Cores >= 0.005).OrderByDescending(group => group.Cores).Select(group => $"{group.Group} {cpu.MillisecondsPer(group.Group, orders):F2} ms"))}; " +
                             $"all {cpu.BoxCores * cpu.Elapsed.TotalMilliseconds / orders:F2} ms of the box's CPU per order");
        }

        foreach (var (name, activity) in database)
        {
            output.WriteLine($"  {name}: {(double)activity.Commits / orders:F1} transactions committed, {(double)activity.Rollbacks / orders:F2} rolled back, " +
                             $"{(double)activity.RowsInserted / orders:F1} rows inserted, {(double)activity.RowsUpdated / orders:F1} updated per order (pg_stat_database, background work included)");
        }

        foreach (var (queue, sampler) in drop.Queues)
        {
            output.WriteLine($"  queue {queue}: up to {sampler.MaxReady} waiting, deliver up to {sampler.MaxDeliverRate:F0}/s, ack up to {sampler.MaxAckRate:F0}/s " +
                             $"({sampler.Last?.Consumers ?? 0} consumer(s), prefetch {sampler.Last?.ConsumerPrefetch?.ToString() ?? "?"}; management stats, 5 s windows)");
        }

        output.WriteLine($"  broker: the drop moved {messages.Delivered / Math.Max(0.001, drop.ToLastFinal.TotalSeconds):F0} deliveries/s; the broker alone does {broker.Rate:F0} msgs/s on this box");
        foreach (var (name, waits) in drop.Waits.Where(entry => entry.Value.Samples > 0))
        {
            waits.WriteSummary(output, name, WaitSampleInterval);
        }

        output.WriteLine();
    }

    private static string Percentiles(Stats latency) =>
        latency.Count == 0 ? "no samples" : $"p50 {latency.P50:F0} / p95 {latency.P95:F0} / p99 {latency.P99:F0} / max {latency.Max:F0} ms";

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
}

/// <summary>The messages the drop exchanged: published into the virtual host, and delivered to the services' queues.</summary>
internal sealed record MessageCount(int Orders, long Published, long Delivered)
{
    public double PublishedPerOrder => (double)Published / Math.Max(1, Orders);
    public double DeliveredPerOrder => (double)Delivered / Math.Max(1, Orders);
}
