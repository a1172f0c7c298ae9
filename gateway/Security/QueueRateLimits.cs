using Microsoft.AspNetCore.RateLimiting;

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
        options.AddPolicy(JoinPolicy, new FixedWindowPolicy(limits.FanJoin, limits.AddressJoin, countFansByAddress: true, TimeProvider.System));
        options.AddPolicy(StatusPolicy, new FixedWindowPolicy(limits.FanStatus, limits.AddressStatus, countFansByAddress: true, TimeProvider.System));
    }
}
