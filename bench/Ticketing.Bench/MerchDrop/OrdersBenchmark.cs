using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.MerchDrop;

public sealed record OrdersSettings(
    int Orders,
    int Stock,
    int InFlight,
    int SettleTimeoutSeconds,
    int CeilingRuns,
    Servers Servers)
{
    public static OrdersSettings Read(BenchOptions options) => new(
        options.Int("orders", 5000, 1, 100_000, "orders placed, one fan each, 1 unit each, all launched at once"),
        options.Int("stock", 1000, 1, 1_000_000, "units of the product (one per fan)"),
        options.Int("in-flight", 256, 1, 5000, "placement: POST /api/orders requests in flight at once (bounded client concurrency)"),
        options.Int("settle-timeout-seconds", 600, 10, 3600, "how long to wait for every order's final message"),
        options.Int("ceiling-runs", 3, 1, 20, "runs of the broker ceiling; the median counts"),
        Servers.Read(options));

    public TimeSpan SettleTimeout => TimeSpan.FromSeconds(SettleTimeoutSeconds);
}

/// <summary>
/// <c>orders</c>: a merch drop (issue 6). A fresh product of --stock units, one per fan; --orders fans each
/// check out one unit through the gateway (POST /api/orders, a unique Idempotency-Key and fan token), at most
/// --in-flight at a time. Each order's final state is timed by its <c>OrderConfirmed</c> or <c>OrderCancelled</c>
/// message (published by Orders through its outbox) on a temporary queue; settled orders/s = orders / (last final
/// − first placement). Then every order is read back, and the product: exactly --stock confirmed, the rest
/// cancelled out_of_stock, none pending, sold = stock. Same-run ceiling: the broker's publish+consume rate for
/// orders × the messages each order exchanged, and the ratio.
/// </summary>
public sealed class OrdersBenchmark : IBenchmark
{
    public string Name => "orders";

    public string Title => "Merch drop: orders settled per second, 5,000 orders for 1,000 units through the gateway";

    public IBenchmarkRun Configure(BenchOptions options) => new OrdersRun(OrdersSettings.Read(options));
}
