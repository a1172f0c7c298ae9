using System.Diagnostics;
using OpenTelemetry.Trace;
using Ticketing.ServiceDefaults.Telemetry;

namespace Ticketing.Platform.Tests;

/// <summary>How many traces a process records (<see cref="CappedSampler"/>), without servers.</summary>
public sealed class Trace_sampling
{
    [Fact]
    public void A_process_records_at_most_its_cap_of_traces_each_second_and_a_new_second_has_a_new_budget()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 3, 8, 0, 0, 250, TimeSpan.Zero));
        var sampler = new CappedSampler(new AlwaysOnSampler(), maxPerSecond: 3, clock);

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => Records(sampler, Root())));

        clock.Now = clock.Now.AddMilliseconds(700); // still the same second
        Assert.False(Records(sampler, Root()));

        clock.Now = clock.Now.AddMilliseconds(100); // the next second
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => Records(sampler, Root())));
    }

    [Fact]
    public void Traces_the_share_leaves_out_do_not_use_the_budget()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var keepEvery = new KeepingEverySecond();
        var sampler = new CappedSampler(keepEvery, maxPerSecond: 5, clock);

        // Ten asked, five kept by the share: all five recorded, none of the five dropped counted against the cap.
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => Records(sampler, Root())));
        Assert.False(Records(sampler, Root())); // the eleventh: kept by the share, past the cap
        Assert.False(Records(sampler, Root())); // the twelfth: left out by the share
    }

    [Fact]
    public async Task Concurrent_requests_record_exactly_the_cap()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var sampler = new CappedSampler(new AlwaysOnSampler(), maxPerSecond: 500, clock);

        var recorded = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 10_000).Count(_ => Records(sampler, Root())))));

        Assert.Equal(500, recorded.Sum());
    }

    [Fact]
    public void A_callers_sampled_trace_is_followed_whatever_the_cap_and_new_traces_keep_to_it()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var sampler = new ParentBasedSampler(new CappedSampler(new AlwaysOnSampler(), maxPerSecond: 0, clock));
        var sampledCaller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var unsampledCaller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        Assert.True(Records(sampler, new SamplingParameters(sampledCaller, sampledCaller.TraceId, "GET /api/queue", ActivityKind.Server)));
        Assert.False(Records(sampler, new SamplingParameters(unsampledCaller, unsampledCaller.TraceId, "GET /api/queue", ActivityKind.Server)));
        Assert.False(Records(sampler, Root()));
    }

    private static SamplingParameters Root() => new(default, ActivityTraceId.CreateRandom(), "GET /api/queue", ActivityKind.Server);

    private static bool Records(Sampler sampler, SamplingParameters parameters) =>
        sampler.ShouldSample(parameters).Decision == SamplingDecision.RecordAndSample;

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A share of one trace in two: every other one asked.</summary>
    private sealed class KeepingEverySecond : Sampler
    {
        private int asked;

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(Interlocked.Increment(ref asked) % 2 == 1 ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
