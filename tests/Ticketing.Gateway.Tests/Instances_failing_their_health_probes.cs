using Microsoft.AspNetCore.Http;
using Ticketing.Gateway.Routing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// A gateway in front of a stand-in Catalog instance (plain Kestrel on loopback) whose readiness probe fails while it
/// still answers requests: what a sole instance looks like when a drop's load makes its probe slower than the probe's
/// 3 s time-out, or the test process is short of threads for a moment.
/// </summary>
public sealed class Instances_failing_their_health_probes
{
    [Fact]
    public async Task The_last_instance_of_a_service_still_gets_the_requests_rather_than_every_fan_a_503()
    {
        // The concert list is answered; the readiness probe is not.
        await using var catalog = await StandInCatalog.StartAsync(StatusCodes.Status503ServiceUnavailable, context =>
            context.Response.WriteAsJsonAsync(new { items = Array.Empty<object>(), page = 1, pageSize = 100, totalCount = 0 }));
        var settings = StandInCatalog.GatewaySettings(catalog);
        settings["ReverseProxy:Clusters:catalog:HealthCheck:Active:Interval"] = "00:00:01";
        await using var gateway = new ServiceHost<GatewayService>(settings, listen: false);
        await gateway.StartAsync();
        using var client = gateway.CreateClient();

        // The probes have found the only instance unhealthy (not merely unknown, which is tried anyway).
        var catalogCluster = gateway.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single(cluster => cluster.ClusterId == "catalog");
        await Polling.UntilAsync(
            () => Task.FromResult(catalogCluster.Destinations.Values.All(destination => destination.Health.Active == DestinationHealth.Unhealthy)),
            TimeSpan.FromSeconds(30));
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("catalog", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var answer = await client.GetAsync("/api/catalog/concerts?pageSize=100");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(0, (await answer.ReadJsonAsync<JsonElement>()).GetProperty("totalCount").GetInt32());
    }
}
