namespace Ticketing.Orders.Tests;

/// <summary>The whole platform with card payments that take <c>paymentLatency</c>.</summary>
public abstract class PlatformWithPayments(TimeSpan paymentLatency) : PlatformFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) =>
        FixtureSettings.ForService("orders", service, settings, ("Payments:Simulated:Latency", paymentLatency.ToString("c")));
}

/// <summary>Payments that take 400 ms, so that a stop lands while checkouts are still running.</summary>
public sealed class SlowPaymentsFixture() : PlatformWithPayments(TimeSpan.FromMilliseconds(400)) { }
