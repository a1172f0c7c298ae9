using System.Diagnostics.Metrics;

namespace Ticketing.ServiceDefaults.Telemetry;

/// <summary>Histogram bucket boundaries of the platform's own instruments.</summary>
public static class MetricBuckets
{
    /// <summary>
    /// Request latencies in seconds, 1 ms to 10 s, the same as ASP.NET Core's <c>http.server.request.duration</c>
    /// with a finer start (the hold target is 100 ms at p99, so its bucket boundary is exact).
    /// </summary>
    public static readonly InstrumentAdvice<double> Latency = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 0.75, 1, 2.5, 5, 10],
    };

    /// <summary>Durations of a process that spans several messages (a checkout from placed to final), 50 ms to 10 min.</summary>
    public static readonly InstrumentAdvice<double> Process = new()
    {
        HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };
}
