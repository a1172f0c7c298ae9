using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Holds;

public sealed record HoldsSettings(
    int Fans,
    int Seats,
    int SpecificPercent,
    int PhaseSeconds,
    int Rate,
    int DurationSeconds,
    int MapRefreshMs,
    int SqlConnections,
    int CeilingRuns,
    int BuildTimeoutSeconds,
    Uri Tickets,
    Servers Servers)
{
    public static HoldsSettings Read(BenchOptions options)
    {
        var settings = new HoldsSettings(
            options.Int("fans", 1000, 1, 20_000, "saturation: simulated fans in flight at once (closed loop), a new fan (own token) per request"),
            options.Int("seats", 20_000, Venue.SeatsPerSection, 100_000, $"venue size, a multiple of {Venue.SeatsPerSection} (sections of {Venue.RowsPerSection} rows x {Venue.SeatsPerRow} seats), 4 tiers"),
            options.Int("specific-percent", 50, 0, 100, "share of requests for a specific pair in one row; the rest ask for the best 2 of a tier"),
            options.Int("phase-seconds", 300, 10, 400, "saturation: stop if not sold out after this long (holds expire after 7 minutes)"),
            options.Int("rate", 500, 1, 10_000, "latency at a stated load: open-loop arrivals per second, through the gateway"),
            options.Int("duration-seconds", 10, 1, 600, "latency at a stated load: seconds of arrivals (2 seats each must fit in the venue)"),
            options.Int("map-refresh-ms", 2000, 0, 60_000, "how often the fans' shared view re-reads the public seat map (0: never)"),
            options.Int("sql-connections", 32, 1, 200, "SQL ceiling: concurrent Npgsql connections"),
            options.Int("ceiling-runs", 3, 1, 20, "runs of the SQL ceiling; the median counts"),
            options.Int("build-timeout-seconds", 600, 10, 3600, "how long to wait for a concert's inventory to be built"),
            options.Uri("tickets", "http://127.0.0.1:5103/", "the Tickets service itself, for the saturation phase without the gateway"),
            Servers.Read(options));
        if (settings.Seats % Venue.SeatsPerSection != 0)
        {
            throw new UsageException($"--seats must be a multiple of {Venue.SeatsPerSection}, got {settings.Seats}.");
        }

        if ((long)settings.Rate * settings.DurationSeconds * SeatView.Quantity > settings.Seats)
        {
            throw new UsageException(
                $"--rate x --duration-seconds x {SeatView.Quantity} seats = {(long)settings.Rate * settings.DurationSeconds * SeatView.Quantity} does not fit in {settings.Seats} seats.");
        }

        return settings;
    }

    public TimeSpan PhaseCap => TimeSpan.FromSeconds(PhaseSeconds);
    public TimeSpan MapRefresh => TimeSpan.FromMilliseconds(MapRefreshMs);
    public TimeSpan BuildTimeout => TimeSpan.FromSeconds(BuildTimeoutSeconds);

    /// <summary>A bound on the requests of one saturation phase (a sell-out needs Seats / 2 holds plus refusals).</summary>
    public int MaxRequests => Seats * 5;
}

/// <summary>
/// <c>holds</c>: a flash sale of a whole venue (issue 5). Saturation, closed loop: --fans simulated fans hold 2
/// seats at a time (specific pairs from a client-side view of the map, or best available of a tier) until the
/// venue is sold out, once through the gateway and once directly against Tickets, each on a fresh concert;
/// throughput = holds / time to the last successful hold. Latency at a stated load: open-loop arrivals at --rate
/// per second through the gateway on a third concert. After each phase the seat map is checked against the 201
/// answers (oversold seats must be 0). Same-run ceiling: the same number of single-seat claims as one
/// conditional SQL UPDATE each over Npgsql, and the ratio.
/// </summary>
public sealed class HoldsBenchmark : IBenchmark
{
    public string Name => "holds";

    public string Title => "Flash sale: seat holds per second on a 20,000-seat venue with 1,000 concurrent fans";

    public IBenchmarkRun Configure(BenchOptions options) => new HoldsRun(HoldsSettings.Read(options));
}
