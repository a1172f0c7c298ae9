namespace Ticketing.Scaling.Tests;

/// <summary>Two processes of each service behind the gateway, on quorum queues, with card payments that take <c>paymentLatency</c>.</summary>
public abstract class ScaledPlatformWithPayments(TimeSpan paymentLatency) : ScaledPlatformFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) =>
        FixtureSettings.ForService("orders", service, settings, ("Payments:Simulated:Latency", paymentLatency.ToString("c")));
}

/// <summary>Payments of 50 ms, so that a kill lands while checkouts are in flight.</summary>
public sealed class FailOverFixture() : ScaledPlatformWithPayments(TimeSpan.FromMilliseconds(50)) { }

/// <summary>Payments of 10 ms.</summary>
public sealed class TwoInstancesFixture() : ScaledPlatformWithPayments(TimeSpan.FromMilliseconds(10)) { }
