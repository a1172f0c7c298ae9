namespace Ticketing.Insights.Overview;

/// <summary>Section <c>Insights</c>.</summary>
public sealed class InsightsOptions
{
    /// <summary>A pending order older than this is stuck: the checkout's own time-out (Orders:Checkout:Timeout) should have ended it.</summary>
    public TimeSpan StuckOrderAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How far back the per-minute series of the overview goes.</summary>
    public TimeSpan PerMinuteWindow { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How often the live feed looks for projection progress.</summary>
    public TimeSpan LivePollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Orders listed as recent.</summary>
    public int RecentOrders { get; set; } = 20;
}
