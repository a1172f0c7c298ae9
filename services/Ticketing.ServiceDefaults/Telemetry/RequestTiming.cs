using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace Ticketing.ServiceDefaults.Telemetry;

/// <summary>
/// The time one kind of request takes to answer, as a histogram in seconds (<see cref="MetricBuckets.Latency"/>) tagged
/// with the request's <c>outcome</c>, recorded by an endpoint filter (<see cref="TimeAsync"/>): how operators follow a
/// drop's hot routes (a hold, a checkout) against their latency targets.
/// </summary>
public sealed class RequestTiming
{
    private readonly Histogram<double> duration;
    private readonly Func<object?, string> outcomeOf;

    /// <param name="meter">The service's meter.</param>
    /// <param name="name">The histogram's name, e.g. <c>ticketing.holds.duration</c>.</param>
    /// <param name="description">What the histogram measures, for the metric's help text.</param>
    /// <param name="outcomeOf">The outcome tag of the endpoint's result (e.g. <c>placed</c> or <c>refused</c>).</param>
    public RequestTiming(Meter meter, string name, string description, Func<object?, string> outcomeOf)
    {
        duration = meter.CreateHistogram(name, "s", description, advice: MetricBuckets.Latency);
        this.outcomeOf = outcomeOf;
    }

    /// <summary>An endpoint filter timing the request, tagged with its outcome.</summary>
    public async ValueTask<object?> TimeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context);
        duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcomeOf(result)));
        return result;
    }

    /// <summary>True when the result is an HTTP answer with a status code below 300.</summary>
    public static bool Succeeded(object? result) => result is IStatusCodeHttpResult { StatusCode: < 300 };
}
