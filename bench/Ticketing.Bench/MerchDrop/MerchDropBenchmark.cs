using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Infrastructure;
using Ticketing.Contracts.Orders;

namespace Ticketing.Bench.MerchDrop;

/// <summary>One buyer's checkout: when it was due (sent, or its scheduled arrival), answered, and the answer.</summary>
internal sealed record Checkout(string FanId, long DueAt, long AnsweredAt, PlaceAnswer Answer);

/// <summary>What one drop measured.</summary>
internal sealed record DropResult(int Settled, int Confirmed, double SettleRate, TimeSpan ToLastFinal, Stats TimeToFinal, Stats PlaceLatency, PhaseCost Cost);

/// <summary>
/// <c>merch</c>: merch drops through the gateway, Insights running. Saturation: --orders buyers for --stock units,
/// --in-flight checkouts at a time; settled orders/s = orders with a final message (OrderConfirmed/OrderCancelled)
/// over the time from the first checkout to the last final message. Latency at a stated load: another drop whose
/// buyers arrive at --rate per second, time to final from each arrival. Each drop is checked (exactly --stock
/// confirmed, the rest out of stock, every order final once, stock conserved, Insights showing the sale), and
/// costed per order. Same-run ceiling: the broker alone for the same deliveries, and the ratio.
/// </summary>
internal sealed class MerchDropBenchmark(int orders, int stock, int inFlight, int rate, int warmUpOrders, TimeSpan settleTimeout, int ceilingRuns, int versions, Servers servers)
    : IBenchmarkRun
{
    public static readonly Benchmark Definition = new("merch", "Merch drop: orders settled per second and time to final, 5,000 buyers for 1,000 units through the gateway",
        options => new MerchDropBenchmark(
            options.Int("orders", 5_000, 1, 100_000, "buyers per drop, one unit each, each its own fan"),
            options.Int("stock", 1_000, 1, 1_000_000, "units of the product of each drop (one per fan)"),
            options.Int("in-flight", 256, 1, 5_000, "saturation: checkouts in flight at once (closed loop)"),
            options.Int("rate", 200, 1, 5_000, "latency at a stated load: checkouts arriving per second (open loop)"),
            options.Int("warm-up-orders", 500, 0, 10_000, "a smaller drop first (a tenth of it in stock), not measured"),
            TimeSpan.FromSeconds(options.Int("settle-timeout-seconds", 600, 10, 3600, "how long to wait for every order's final message")),
            options.Int("ceiling-runs", 3, 1, 20, "runs of the broker ceiling; the median counts"),
            options.Int("album-versions", 0, 0, 10, "0: a plain product; N: an album in N versions (buyers spread over them) with a random photocard per unit"),
            Servers.Read(options)));

    private const int ReadBackInFlight = 32;

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = new Report(output, "saturation", "open loop");
        await using var platform = await PlatformSession.StartAsync(servers, Math.Max(inFlight, rate * 5) + ReadBackInFlight, report, cancellationToken);
        var services = SystemProcesses.RunningServices();
        report.Section($"Setting up: services running from {SystemProcesses.Root}: {string.Join(", ", services)}");
        report.Checks.Check(services.Contains("Insights"), "Insights is running");
        if (warmUpOrders > 0)
        {
            report.Section($"Warm-up, not measured: {warmUpOrders} buyers for {Math.Max(1, warmUpOrders / 10)} units");
            var product = await ProductAsync(report, platform.Client, Math.Max(1, warmUpOrders / 10), "warm-up", cancellationToken);
            await SettleAsync(platform.Orders, await SaturateAsync(platform.Client, product.Id, warmUpOrders, "warm-up", cancellationToken), cancellationToken);
        }

        report.Section($"Saturation: {orders:N0} buyers for {stock:N0} units, {inFlight} checkouts in flight");
        var saturated = await DropAsync(report, platform, "saturation",
            productId => SaturateAsync(platform.Client, productId, orders, "saturation", cancellationToken), cancellationToken);

        report.Section($"Latency at a stated load: {orders:N0} buyers for {stock:N0} units arriving at {rate}/s (open loop)");
        var openLoop = await DropAsync(report, platform, "open-loop", productId => ArriveAsync(platform.Client, productId, cancellationToken), cancellationToken);

        var deliveries = (double)saturated.Cost.Messages.Delivered / Math.Max(1, saturated.Settled);
        var ceiling = await CeilingAsync(report, platform.Orders, deliveries, cancellationToken);
        report.Section("Figures");
        report.Figure("**settled orders/s** (first checkout to last final message)", $"**{saturated.SettleRate:F0}**", $"{openLoop.SettleRate:F0} (offered {rate}/s)");
        report.Figure("**time to final** (checkout sent or due to final message)", $"{saturated.TimeToFinal.Percentiles()} (queueing)", $"**{openLoop.TimeToFinal.Percentiles()}**");
        report.Figure("checkout (POST) latency", saturated.PlaceLatency.Percentiles(), openLoop.PlaceLatency.Percentiles());
        report.Figure("CPU ms per order: system (whole box)", saturated.Cost.CpuPer(saturated.Settled), openLoop.Cost.CpuPer(openLoop.Settled));
        report.Figure("orders/s the cores would carry at that CPU per order (cores ÷ system ms)", saturated.Cost.CpuBoundRate(saturated.Settled), openLoop.Cost.CpuBoundRate(openLoop.Settled));
        report.Figure("rows written per order", saturated.Cost.RowsPer(saturated.Settled), openLoop.Cost.RowsPer(openLoop.Settled));
        report.Figure("broker deliveries per order", saturated.Cost.DeliveriesPer(saturated.Settled), openLoop.Cost.DeliveriesPer(openLoop.Settled));
        report.Figure("broker alone, msgs/s; **ratio settled/s ÷ (broker msgs/s ÷ deliveries per order)**", $"{ceiling:F0}; **{saturated.SettleRate * deliveries / ceiling:F3}**", "");
        report.Line($"target (issue 15): >= 500 settled orders/s: {(saturated.SettleRate >= 500 ? "met" : "MISSED")}; p99 time to final <= 2 s at {rate}/s: {(openLoop.TimeToFinal.P99 <= 2000 ? "met" : "MISSED")}");
        return report.Summary();
    }

    private async Task<ProductView> ProductAsync(Report report, PlatformClient platform, int stock, string purpose, CancellationToken cancellationToken)
    {
        var product = await platform.CreateProductAsync($"Bench {RunInfo.Tag} {purpose}", stock, cancellationToken, versions);
        var waited = await platform.WaitForPriceBookAsync(product.Id, cancellationToken);
        report.Line($"product {product.Id} ({product.Sku}, {stock:N0} units): in Orders' price book {waited.TotalSeconds:F1} s after listing");
        return product;
    }

    /// <summary>A drop on a fresh product: offered by <paramref name="offer"/>, settled, costed, checked.</summary>
    private async Task<DropResult> DropAsync(
        Report report, PlatformSession platform, string purpose, Func<Guid, Task<IReadOnlyList<Checkout>>> offer, CancellationToken cancellationToken)
    {
        var product = await ProductAsync(report, platform.Client, stock, purpose, cancellationToken);
        var meter = await platform.MeasureAsync([], cancellationToken);
        var checkouts = await offer(product.Id);
        var finals = await SettleAsync(platform.Orders, checkouts, cancellationToken);
        var first = checkouts.Min(checkout => checkout.DueAt);
        var lastFinal = finals.Count == 0 ? first : finals.Values.Max(final => final.ReceivedAt);
        var insightsLive = await platform.Client.WaitForInsightsAsync("products", product.Id, stock, cancellationToken);
        var insightsLag = Stopwatch.GetElapsedTime(lastFinal);
        var cost = await meter.StopAsync(cancellationToken);

        var settled = checkouts.Where(checkout => finals.ContainsKey(checkout.Answer.OrderId)).ToList();
        var result = new DropResult(
            settled.Count,
            finals.Values.Count(final => final.Confirmed),
            Stats.Rate(settled.Count, Stopwatch.GetElapsedTime(first, lastFinal)),
            Stopwatch.GetElapsedTime(first, lastFinal),
            new Stats(settled.Select(checkout => Stopwatch.GetElapsedTime(checkout.DueAt, finals[checkout.Answer.OrderId].ReceivedAt).TotalMilliseconds)),
            new Stats(checkouts.Select(checkout => Stopwatch.GetElapsedTime(checkout.DueAt, checkout.AnsweredAt).TotalMilliseconds)),
            cost);
        report.Line($"{result.Settled:N0} orders settled ({result.Confirmed:N0} confirmed) {result.ToLastFinal.TotalSeconds:F1} s after the first checkout = {result.SettleRate:F0} settled/s");
        report.Line($"time to final: {result.TimeToFinal.Milliseconds()}; checkout latency: {result.PlaceLatency.Milliseconds()}");
        report.Line($"Insights showed the {stock:N0} units sold {(insightsLive ? $"{insightsLag.TotalSeconds:F1} s after the last final message" : "NOT in time")}");
        report.Cost("order", result.Settled, cost);
        await VerifyAsync(report, platform, checkouts, product.Id, insightsLive, cancellationToken);
        return result;
    }

    private async Task<IReadOnlyList<Checkout>> SaturateAsync(PlatformClient platform, Guid productId, int orders, string purpose, CancellationToken cancellationToken)
    {
        var checkouts = new Checkout[orders];
        var next = -1;
        await Load.ClosedAsync(Math.Min(inFlight, orders), async token =>
        {
            var index = Interlocked.Increment(ref next);
            if (index >= orders)
            {
                return false;
            }

            checkouts[index] = await CheckOutAsync(platform, $"bench-{RunInfo.Tag}-{purpose}-{index}", productId, Stopwatch.GetTimestamp(), Version(index), token);
            return true;
        }, cancellationToken);
        return checkouts;
    }

    private async Task<IReadOnlyList<Checkout>> ArriveAsync(PlatformClient platform, Guid productId, CancellationToken cancellationToken)
    {
        var checkouts = new Checkout[orders];
        await Load.OpenAsync(rate, orders, async (index, due, token) =>
            checkouts[index] = await CheckOutAsync(platform, $"bench-{RunInfo.Tag}-open-{index}", productId, due, Version(index), token), cancellationToken);
        return checkouts;
    }

    /// <summary>The version buyer <paramref name="index"/> wants: buyers spread evenly over an album's versions.</summary>
    private string? Version(int index) => versions == 0 ? null : PlatformClient.VersionCode(index % versions);

    private static async Task<Checkout> CheckOutAsync(PlatformClient platform, string fanId, Guid productId, long due, string? variant, CancellationToken cancellationToken)
    {
        var answer = await platform.CheckoutAsync(fanId, holdId: null, productId, cancellationToken, variant);
        return new Checkout(fanId, due, Stopwatch.GetTimestamp(), answer);
    }

    /// <summary>Waits until every accepted checkout has a final message; the first final message of each.</summary>
    private async Task<IReadOnlyDictionary<Guid, OrderFinal>> SettleAsync(OrderMessages messages, IReadOnlyList<Checkout> checkouts, CancellationToken cancellationToken)
    {
        var accepted = checkouts.Where(checkout => checkout.Answer.Accepted).Select(checkout => checkout.Answer.OrderId).ToList();
        try
        {
            await PlatformClient.PollAsync("final message of every order", settleTimeout,
                _ => Task.FromResult(accepted.All(orderId => messages.FinalsOf(orderId).Count > 0)), cancellationToken);
        }
        catch (TimeoutException)
        {
            // the checks below count the orders without a final message
        }

        return accepted.Select(orderId => (orderId, Final: messages.FinalsOf(orderId).FirstOrDefault()))
            .Where(entry => entry.Final is not null)
            .ToDictionary(entry => entry.orderId, entry => entry.Final!);
    }

    private async Task VerifyAsync(
        Report report, PlatformSession platform, IReadOnlyList<Checkout> checkouts, Guid productId, bool insightsLive, CancellationToken cancellationToken)
    {
        var accepted = checkouts.Where(checkout => checkout.Answer.Accepted).ToList();
        var states = new OrderState[accepted.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, accepted.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadBackInFlight, CancellationToken = cancellationToken },
            async (i, token) => states[i] = await platform.Client.OrderAsync(accepted[i].Answer.OrderId, accepted[i].FanId, token));
        var finals = accepted.Select(checkout => platform.Orders.FinalsOf(checkout.Answer.OrderId)).ToList();
        var product = await platform.Client.ProductAsync(productId, cancellationToken);
        var confirmed = states.Count(state => state.OrderStatus == "Confirmed");
        var expected = Math.Min(stock, orders);
        var otherReasons = states.Where(state => state.OrderStatus == "Cancelled" && state.Reason != OrderCancellationReasons.OutOfStock)
            .GroupBy(state => state.Reason ?? "none").Select(group => $"{group.Key} x{group.Count()}").ToList();
        var refused = checkouts.Where(checkout => !checkout.Answer.Accepted).ToList();
        var checks = report.Checks;
        checks.Check(refused.Count == 0, $"every checkout accepted (202): {refused.Count} not{(refused.Count > 0 ? $", first {refused[0].Answer.Status} {refused[0].Answer.Error}" : "")}");
        checks.Check(finals.All(list => list.Count == 1), $"every order final exactly once: {finals.Count(list => list.Count == 0)} without, {finals.Count(list => list.Count > 1)} with more than one final message");
        checks.Check(confirmed == expected, $"exactly {expected:N0} confirmed: {confirmed:N0}");
        checks.Check(states.Count(state => state.OrderStatus == "Cancelled") == accepted.Count - expected && otherReasons.Count == 0,
            $"the other {accepted.Count - expected:N0} cancelled out_of_stock{(otherReasons.Count > 0 ? "; other reasons: " + string.Join(", ", otherReasons) : "")}");
        checks.Check(accepted.Select((checkout, i) => (Final: finals[i].FirstOrDefault(), State: states[i]))
                .All(entry => entry.Final is not null && (entry.Final.Confirmed ? "Confirmed" : "Cancelled") == entry.State.OrderStatus),
            "every order as read back by its fan agrees with its final message");
        checks.Check(product.Sold == confirmed && product.Reserved == 0 && product.Sold + product.Available == product.Stock,
            $"stock conserved: sold {product.Sold} = confirmed {confirmed}, reserved {product.Reserved}, sold + available {product.Sold + product.Available} = stock {product.Stock}");
        checks.Check(insightsLive, $"Insights live: it shows the {stock:N0} units sold");
        if (versions > 0)
        {
            checks.Check(product.Variants.Count == versions && product.Variants.All(variant => variant.Sold == variant.Stock && variant.Reserved == 0),
                $"every version sold out, none beyond its stock: {string.Join(", ", product.Variants.Select(variant => $"{variant.Code} {variant.Sold}/{variant.Stock}"))}");
            var pool = product.Inclusion;
            checks.Check(pool is not null && pool.Items.Sum(item => item.Count - item.Left) == product.Sold && pool.Items.All(item => item.Left >= 0),
                $"one photocard drawn per sold album, no member beyond their count: {(pool is null ? "no pool" : string.Join(", ", pool.Items.Select(item => $"{item.Code} {item.Count - item.Left}/{item.Count}")))}");
        }
    }

    /// <summary>The broker alone, publishing and consuming the same number of messages the drop delivered; the median rate.</summary>
    private async Task<double> CeilingAsync(Report report, OrderMessages messages, double deliveriesPerOrder, CancellationToken cancellationToken)
    {
        var count = (int)Math.Round(orders * Math.Max(1, deliveriesPerOrder));
        report.Section($"Ceiling, same run: the broker alone, {count:N0} messages ({deliveriesPerOrder:F2} deliveries per order), median of {ceilingRuns}");
        var timeout = settleTimeout;
        var rates = new List<double>();
        for (var run = 0; run < ceilingRuns; run++)
        {
            rates.Add((await BrokerCeiling.MeasureAsync(messages.Bus, count, 32, 16, timeout, cancellationToken)).Rate);
        }

        var median = rates.Order().ElementAt(rates.Count / 2);
        report.Line($"{median:F0} msgs/s published (confirms on) and consumed by a no-op handler (prefetch 32, 16 concurrent), runs: {string.Join(", ", rates.Select(rate => rate.ToString("F0")))}");
        return median;
    }
}
