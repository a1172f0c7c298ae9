namespace Ticketing.Scaling.Tests;

/// <summary>
/// Two processes of each service behind the gateway, on quorum queues, with card payments of 50 ms, so that a kill
/// lands while checkouts are in flight. One platform for the whole class: starting ten service processes is most of
/// what this project costs (each JIT-compiles its service afresh), so the tests share it and the one that kills
/// instances runs last (<see cref="KillsInstancesAttribute"/>).
/// </summary>
public sealed class ScaledPlatformWithPayments : ScaledPlatformFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings) =>
        FixtureSettings.ForService("orders", service, settings, ("Payments:Simulated:Latency", TimeSpan.FromMilliseconds(50).ToString("c")));
}
