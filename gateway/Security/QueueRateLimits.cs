using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Ticketing.ServiceDefaults.Http;

namespace Ticketing.Gateway.Security;

/// <summary>
/// <c>Gateway:RateLimits:Queue</c>: the waiting room's join and status routes count every request twice, per fan (the
/// token's <c>sub</c>: what stops one account from hammering) and per client address (what stops one machine from
/// flooding). The per-address limits are far above what a drop sends from one carrier-NAT address (100,000 fans
/// joining in 20 s and polling every few seconds), so they never cap a drop, only a flood beyond what the platform serves.
/// </summary>
public sealed class QueueRateLimitOptions
{
    /// <summary>Per fan, joining: joining again answers the same place, so a fan has no reason to join often.</summary>
    public RateLimit FanJoin { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Per fan, reading their place or opening its stream.</summary>
    public RateLimit FanStatus { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Per client address, joining.</summary>
    public RateLimit AddressJoin { get; set; } = new() { PermitLimit = 20_000, Window = TimeSpan.FromSeconds(1) };

    /// <summary>Per client address, reading places.</summary>
    public RateLimit AddressStatus { get; set; } = new() { PermitLimit = 100_000, Window = TimeSpan.FromSeconds(1) };
}

public static class QueueRateLimits
{
    /// <summary>Rate limiter policy of joining a waiting room.</summary>
    public const string JoinPolicy = "queue-join";

    /// <summary>Rate limiter policy of reading one's place in a waiting room.</summary>
    public const string StatusPolicy = "queue-status";

    public static void AddQueuePolicies(this RateLimiterOptions options, IConfiguration configuration)
    {
        var limits = configuration.GetSection("Gateway:RateLimits:Queue").Get<QueueRateLimitOptions>() ?? new QueueRateLimitOptions();
        options.AddPolicy(JoinPolicy, new FanAndAddressPolicy(limits.FanJoin, limits.AddressJoin));
        options.AddPolicy(StatusPolicy, new FanAndAddressPolicy(limits.FanStatus, limits.AddressStatus));
    }

    private static FixedWindowRateLimiterOptions Window(RateLimit limit) => new()
    {
        PermitLimit = Math.Max(1, limit.PermitLimit),
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>A request passes when both its fan's and its address's windows have room.</summary>
    private sealed class FanAndAddressPolicy(RateLimit perFan, RateLimit perAddress) : IRateLimiterPolicy<string>
    {
        private readonly PartitionedRateLimiter<string> fans =
            PartitionedRateLimiter.Create<string, string>(fan => RateLimitPartition.GetFixedWindowLimiter(fan, _ => Window(perFan)));

        private readonly PartitionedRateLimiter<string> addresses =
            PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => Window(perAddress)));

        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

        public RateLimitPartition<string> GetPartition(HttpContext context)
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var fan = FanIdentity.FanId(context) ?? "";
            return RateLimitPartition.Get($"{fan}|{address}", _ => new BothLimits(fans, fan, addresses, address));
        }
    }

    private sealed class BothLimits(PartitionedRateLimiter<string> fans, string fan, PartitionedRateLimiter<string> addresses, string address) : RateLimiter
    {
        private long lastUsed = Environment.TickCount64;

        public override TimeSpan? IdleDuration => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref lastUsed));

        public override RateLimiterStatistics? GetStatistics() => addresses.GetStatistics(address);

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Interlocked.Exchange(ref lastUsed, Environment.TickCount64);
            if (fan.Length > 0)
            {
                var fanLease = fans.AttemptAcquire(fan, permitCount);
                if (!fanLease.IsAcquired)
                {
                    return fanLease;
                }
            }

            return addresses.AttemptAcquire(address, permitCount);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }
}
