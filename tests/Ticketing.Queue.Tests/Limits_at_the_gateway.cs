using Ticketing.Gateway.Routing;

namespace Ticketing.Queue.Tests;

/// <summary>The Queue behind a gateway with small waiting-room limits, so a test can reach them.</summary>
public sealed class QueueBehindTightLimits : QueueFixture
{
    public ServiceHost<GatewayService> Gateway { get; private set; } = null!;

    protected override bool Listens => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = PlatformFixture.GatewayBaseSettings();
        settings["Services:Queue"] = Queue.Address.ToString();
        foreach (var (limit, permits) in new[] { ("FanJoin", 3), ("FanStatus", 5), ("AddressJoin", 40) })
        {
            settings[$"Gateway:RateLimits:Queue:{limit}:PermitLimit"] = permits.ToString();
            settings[$"Gateway:RateLimits:Queue:{limit}:Window"] = "00:01:00";
        }

        Gateway = new ServiceHost<GatewayService>(settings, listen: false);
        await Gateway.StartAsync();
    }

    public HttpClient ThroughGateway(string fanId) => Gateway.CreateClient().WithToken(TestTokens.Fan(fanId));

    public override async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class Limits_at_the_gateway(QueueBehindTightLimits queue) : IClassFixture<QueueBehindTightLimits>
{
    [Fact]
    public async Task One_fan_is_limited_on_joins_and_status_reads_and_one_address_on_joins_of_many_fans()
    {
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: DateTimeOffset.UtcNow.AddHours(1));
        using var eager = queue.ThroughGateway("eager-fan");

        var joins = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await eager.PostAsJsonAsync($"/api/queue/{drop}/entries", new { });
            joins.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        var reads = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await eager.GetAsync($"/api/queue/{drop}/entries/mine");
            reads.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], joins);
        Assert.Equal(5, reads.Count(status => status == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, reads[^1]);

        // Many fans from one address: each within their own limit, the address's limit is what stops them (here 40).
        var statuses = await Task.WhenAll(Enumerable.Range(0, 45).Select(async i =>
        {
            using var fan = queue.ThroughGateway($"nat-fan-{i}");
            using var response = await fan.PostAsJsonAsync($"/api/queue/{drop}/entries", new { });
            return response.StatusCode;
        }));
        Assert.Equal(37, statuses.Count(status => status == HttpStatusCode.Created)); // 40 less the eager fan's 3 that passed its own limit
        Assert.Equal(8, statuses.Count(status => status == HttpStatusCode.TooManyRequests));
    }
}
