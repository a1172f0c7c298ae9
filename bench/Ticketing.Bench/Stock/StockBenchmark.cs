using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Stock;

public sealed record StockSettings(
    int Requests,
    int Stock,
    int Rate,
    int DurationSeconds,
    int SqlConnections,
    int CeilingRuns,
    int AnswerTimeoutSeconds,
    Servers Servers)
{
    public static StockSettings Read(BenchOptions options) => new(
        options.Int("requests", 2000, 1, 100_000, "burst requests, all in flight at once (also N of the ceilings)"),
        options.Int("stock", 1000, 1, 10_000_000, "stock of the burst's product (and of the SQL ceiling's row)"),
        options.Int("rate", 200, 1, 10_000, "modest load: open-loop arrivals per second"),
        options.Int("duration-seconds", 10, 1, 600, "modest load: seconds of arrivals"),
        options.Int("sql-connections", 16, 1, 100, "SQL ceiling: concurrent connections"),
        options.Int("ceiling-runs", 3, 1, 20, "runs of each ceiling; the median counts (the box is shared and noisy)"),
        options.Int("answer-timeout-seconds", 120, 5, 3600, "how long a phase waits for all its answers"),
        Servers.Read(options));

    public TimeSpan AnswerTimeout => TimeSpan.FromSeconds(AnswerTimeoutSeconds);
}

/// <summary>
/// <c>stock</c>: how fast the Catalog reserves stock of one hot product, over the real broker and database.
/// Phase 1, a closed burst: --requests <c>ReserveStock</c> messages for a fresh product of --stock units, all
/// published at once; throughput = reservations / time to the last reservation. Phase 2, a modest load: open-loop
/// arrivals at --rate per second for --duration-seconds on another fresh product with a unit for every
/// arrival, for latency percentiles that are not just queueing. Then the same run's ceilings: the broker
/// (publish + no-op consume of N messages in this process) and the database (N conditional UPDATEs of one row).
/// After each phase the product is read back and checked against the answers.
/// </summary>
public sealed class StockBenchmark : IBenchmark
{
    public string Name => "stock";

    public string Title => "Reservation throughput for a single hot product under 2,000 concurrent requests";

    public IBenchmarkRun Configure(BenchOptions options) => new StockRun(StockSettings.Read(options));
}
