namespace Ticketing.Gateway.Tests;

/// <summary>The platform with two real gateway processes in front of it, told that they are two (Gateway:Replicas).</summary>
public sealed class TwoGatewaysFixture : PlatformFixture, IAsyncLifetime
{
    public const int FanLimitPerMinute = 20;

    public IReadOnlyList<ProcessHost> Gateways { get; private set; } = [];

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = GatewaySettings();
        settings["Gateway:Replicas"] = "2";
        settings["Gateway:RateLimits:Fan:PermitLimit"] = FanLimitPerMinute.ToString();
        settings["Gateway:RateLimits:Fan:Window"] = "00:01:00";
        settings["Logging:LogLevel:Default"] = "Warning";

        Gateways = await Task.WhenAll(
            ProcessHost.StartAsync("gateway-1", "gateway/Ticketing.Gateway.csproj", settings),
            ProcessHost.StartAsync("gateway-2", "gateway/Ticketing.Gateway.csproj", settings));
    }

    public new async Task DisposeAsync()
    {
        foreach (var gateway in Gateways)
        {
            await gateway.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>
/// Rate limits are counted in each gateway's memory; with two gateways each allows half, so a fan whose requests are
/// spread over both (as a load balancer does) gets the platform's limit once, not twice.
/// </summary>
public sealed class Rate_limits_across_gateways(TwoGatewaysFixture platform) : IClassFixture<TwoGatewaysFixture>
{
    [Fact]
    public async Task A_fans_requests_through_two_gateways_are_allowed_the_limit_once_not_twice()
    {
        var clients = platform.Gateways.Select(gateway => new HttpClient { BaseAddress = gateway.Address }.WithToken(TestTokens.Fan("fan-two-doors"))).ToList();

        // Three times the limit, alternating between the gateways, within one window of a minute.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3 * TwoGatewaysFixture.FanLimitPerMinute; i++)
        {
            using var response = await clients[i % 2].GetAsync("/api/orders/mine");
            answers.Add(response.StatusCode);
        }

        Assert.All(answers, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{status}"));
        Assert.Equal(TwoGatewaysFixture.FanLimitPerMinute, answers.Count(status => status == HttpStatusCode.OK));

        // Another fan is not held back by the first one's limit.
        using var other = new HttpClient { BaseAddress = platform.Gateways[0].Address }.WithToken(TestTokens.Fan("fan-patient"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/orders/mine")).StatusCode);
        clients.ForEach(client => client.Dispose());
    }
}
