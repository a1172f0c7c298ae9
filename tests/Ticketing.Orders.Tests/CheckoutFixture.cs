namespace Ticketing.Orders.Tests;

/// <summary>
/// The whole platform with holds of seven minutes, as in production, and Tickets on a clock a test can move past
/// them (to let a hold expire before checking out) instead of waiting.
/// </summary>
public sealed class CheckoutFixture : PlatformFixture
{
    public static readonly TimeSpan HoldDuration = TimeSpan.FromMinutes(7);

    /// <summary>Tickets' clock: real time, moved forward by a test.</summary>
    public AdjustableClock TicketsClock { get; } = new();

    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings)
    {
        if (service == "tickets")
        {
            settings["Tickets:Holds:Duration"] = HoldDuration.ToString("c");
            settings["Tickets:Holds:ExpiryScanInterval"] = "00:00:00.250";
        }

        if (service == "orders")
        {
            settings["Payments:Simulated:Latency"] = "00:00:00.010";
        }

        return settings;
    }

    protected override void ConfigureServices(string service, IServiceCollection services)
    {
        if (service == "tickets")
        {
            services.AddSingleton<TimeProvider>(TicketsClock);
        }
    }
}
