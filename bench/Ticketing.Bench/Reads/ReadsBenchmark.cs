using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Reads;

public sealed record ReadsSettings(
    int Connections,
    int Seconds,
    int WarmupSeconds,
    int Seats,
    int Holds,
    int Subscribers,
    int SubscribeRate,
    int Probes,
    int BuildTimeoutSeconds,
    string ListenAt,
    Servers Servers)
{
    public static ReadsSettings Read(BenchOptions options) => new(
        options.Int("connections", 64, 1, 1024, "closed loop: connections, each with one request in flight"),
        options.Int("seconds", 10, 1, 300, "measured seconds per read"),
        options.Int("warmup-seconds", 2, 0, 60, "unmeasured seconds before each read"),
        options.Int("seats", 60_000, Ticketing.Bench.Holds.Venue.SeatsPerSection, 100_000, $"venue of the seat-state read, a multiple of {Ticketing.Bench.Holds.Venue.SeatsPerSection}"),
        options.Int("holds", 3_000, 0, 20_000, "holds placed before the reads (mid-sale): half best available, half specific pairs at random"),
        options.Int("subscribers", 10_000, 0, 15_000, "SSE listeners of the concert's seat state (where --listen-at says)"),
        options.Int("subscribe-rate", 2_000, 100, 5_000, "listeners connecting per second (under the anonymous per-address limit)"),
        options.Int("probes", 5, 1, 50, "holds timed from their 201 to the moment every listener has their delta"),
        options.Int("build-timeout-seconds", 600, 10, 3600, "how long to wait for the concert's inventory to be built"),
        options.Text("listen-at", "gateway", "where the listeners connect: gateway, or a Tickets instance's address (e.g. http://127.0.0.1:5103/)"),
        Servers.Read(options));

    /// <summary>The base address the SSE listeners use.</summary>
    public Uri ListenBase => ListenAt == "gateway" ? Servers.Gateway : new Uri(ListenAt.EndsWith('/') ? ListenAt : ListenAt + "/");
}

/// <summary>
/// <c>reads</c>: drop-day reads through the gateway (issue 17). Closed loop, --connections in flight, each read for
/// --seconds: the gateway's own <c>/health/live</c> (the same-run reference), the catalog list, a concert's
/// details, availability, and the seat state of a --seats venue put mid-sale with --holds holds; throughput,
/// p50/p95/p99/max and the ratio to <c>/health/live</c>. The seat state's size on the wire (Brotli, gzip, none).
/// Then --subscribers SSE listeners of that concert's seat state: --probes holds, each timed from its 201 until every
/// listener has the delta naming its seats; memory per listener of the gateway and Tickets (resident set growth).
/// Checks: every read answered 200, the seat state counts exactly the seats held, every listener got every probe.
/// </summary>
public sealed class ReadsBenchmark : IBenchmark
{
    public string Name => "reads";

    public string Title => "Drop-day reads through the gateway: catalog, availability, seat state, and 10,000 seat-state listeners";

    public IBenchmarkRun Configure(BenchOptions options) => new ReadsRun(ReadsSettings.Read(options));
}
