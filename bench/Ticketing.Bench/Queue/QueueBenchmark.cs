using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Queue;

public sealed record QueueSettings(
    int Fans,
    int JoinConcurrency,
    int StatusReads,
    int StatusConcurrency,
    int JoinRate,
    int StatusRate,
    int OpenLoopSeconds,
    int DirectFans,
    Uri QueueService,
    Servers Servers)
{
    public static QueueSettings Read(BenchOptions options) => new(
        options.Int("fans", 100_000, 100, 1_000_000, "fans who join one drop (each with its own token), closed loop"),
        options.Int("join-concurrency", 256, 1, 4096, "joins in flight at once in the closed loop"),
        options.Int("status-reads", 300_000, 100, 10_000_000, "status reads (GET entries/mine of random fans), closed loop"),
        options.Int("status-concurrency", 128, 1, 4096, "status reads in flight at once"),
        options.Int("join-rate", 2_000, 1, 100_000, "stated load for latency: open-loop joins per second (more fans)"),
        options.Int("status-rate", 10_000, 1, 200_000, "stated load for latency: open-loop status reads per second"),
        options.Int("open-loop-seconds", 5, 1, 600, "seconds of each open-loop phase"),
        options.Int("direct-fans", 10_000, 0, 1_000_000, "reference: fans who join the Queue service directly (no gateway), closed loop"),
        options.Uri("queue", "http://127.0.0.1:5105/", "the Queue service itself, for the no-gateway reference"),
        Servers.Read(options));
}

/// <summary>
/// <c>queue</c>: a drop's waiting room under its crowd. A concert with a waiting room is published through the gateway
/// (its sale opens in two hours, so every join is before the draw). Phase 1: --fans fans join, each with its own
/// token, --join-concurrency in flight (closed loop): joins/s, latency, CPU per join. Phase 2: --status-reads reads
/// of random fans' places (answered from memory), --status-concurrency in flight: reads/s. Phase 3: latency at a stated
/// load, open loop: joins at --join-rate and reads at --status-rate per second for --open-loop-seconds. The same run's
/// reference: joins and reads straight to the Queue service (no gateway). Checks: every join answered 201, one
/// distinct place per fan, the counters count every fan once, every read returns the fan's own place, no 429 or 5xx.
/// </summary>
public sealed class QueueBenchmark : IBenchmark
{
    public string Name => "queue";

    public string Title => "100,000 fans join one drop's waiting room through the gateway; status reads from memory";

    public IBenchmarkRun Configure(BenchOptions options) => new QueueRun(QueueSettings.Read(options));
}
