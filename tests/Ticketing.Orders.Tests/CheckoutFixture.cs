using Ticketing.Testing;

namespace Ticketing.Orders.Tests;

/// <summary>The whole platform with holds of eight seconds, so a test can let one expire before checking out.</summary>
public sealed class CheckoutFixture : PlatformFixture
{
    public static readonly TimeSpan HoldDuration = TimeSpan.FromSeconds(8);

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
}
