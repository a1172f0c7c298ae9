using OpenTelemetry.Trace;

namespace Ticketing.ServiceDefaults.Telemetry;

/// <summary>
/// Records what <paramref name="inner"/> would, up to <paramref name="maxPerSecond"/> traces a second (a new budget each
/// second of <paramref name="time"/>): a share of the traces while traffic is light, and never more than the collector
/// is sent on drop day. (5 % of a waiting room's 20,000 status reads a second is 1,000 traces a second from the gateway
/// alone: the local dashboard took in those at about the CPU of the Queue service itself, on the same cores as the drop.)
/// Used as the root sampler of a parent-based one, so a caller's sampled <c>traceparent</c> is followed whatever the cap.
/// </summary>
public sealed class CappedSampler(Sampler inner, int maxPerSecond, TimeProvider time) : Sampler
{
    /// <summary>Bits of <see cref="state"/> that count the current second's traces; the rest hold the second.</summary>
    private const int CountBits = 24;
    private const long CountMask = (1L << CountBits) - 1;

    private readonly long cap = Math.Clamp(maxPerSecond, 0, (int)CountMask);
    private long state;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var result = inner.ShouldSample(samplingParameters);
        return result.Decision == SamplingDecision.Drop || TryTake() ? result : new SamplingResult(SamplingDecision.Drop);
    }

    /// <summary>Takes one of this second's traces, without a lock: the decision is made on every request.</summary>
    private bool TryTake()
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        while (true)
        {
            var current = Volatile.Read(ref state);
            var taken = current >> CountBits == second ? current & CountMask : 0;
            if (taken >= cap)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref state, (second << CountBits) | (taken + 1), current) == current)
            {
                return true;
            }
        }
    }
}
