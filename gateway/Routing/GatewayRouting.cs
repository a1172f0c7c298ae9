using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ticketing.Gateway.Caching;
using Ticketing.ServiceDefaults;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Ticketing.Gateway.Routing;

/// <summary>Names the gateway's assembly, for hosts and tests.</summary>
public sealed class GatewayService
{
    private GatewayService()
    {
    }
}

internal static class GatewayRouting
{
    /// <summary>
    /// YARP with routes and clusters from the <c>ReverseProxy</c> section. <c>Services:{Cluster}</c> (e.g.
    /// <c>Services__Catalog=http://127.0.0.1:5101;http://127.0.0.1:5111</c>) sets a cluster's destinations
    /// <c>{cluster}-1..n</c>, one per address, so scripts and tests can point the gateway at instances without rewriting the routes.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayRouting(this IHostApplicationBuilder builder)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var service in builder.Configuration.GetSection("Services").GetChildren())
        {
            var cluster = service.Key.ToLowerInvariant();
            var addresses = (service.Value ?? "").Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (addresses.Length == 0)
            {
                continue;
            }

            for (var i = 0; i < addresses.Length; i++)
            {
                overrides[$"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}-{i + 1}:Address"] = addresses[i];
            }
        }

        builder.Configuration.AddInMemoryCollection(overrides);
        var proxy = builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .ConfigureHttpClient((_, handler) =>
            {
                // Kestrel accepts UTF-8 header values (it refuses bytes that are not UTF-8 with a 400); the forwarder's
                // HttpClient would refuse anything but ASCII and answer a fan's X-Foo: 세 with a 502. Header values are
                // passed on as the same UTF-8 bytes, and each service validates the headers it reads (Idempotency-Key).
                handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8;
                handler.ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8;
            })
            .AddTransforms(ReadCaching.AddCacheLifetime)
            .AddTransforms(WaitingRoom.QueueEdgeAnswers.CapturePlaces);
        if (builder.Configuration.GetValue<bool>("Gateway:DestinationsFromDns:Enabled"))
        {
            // Kubernetes: Services__Tickets names a headless Service, whose DNS name resolves to every ready pod. Each
            // address becomes a destination of its own ("tickets-1[10.0.3.7]"), so concert affinity picks a pod rather
            // than a Service's virtual IP that spreads connections at random. Re-resolved every RefreshPeriod.
            proxy.AddDnsDestinationResolver(options => options.RefreshPeriod =
                builder.Configuration.GetValue<TimeSpan?>("Gateway:DestinationsFromDns:RefreshPeriod") ?? TimeSpan.FromSeconds(5));
        }

        builder.Services.AddSingleton<ILoadBalancingPolicy, ConcertAffinityPolicy>();
        builder.Services.AddHealthChecks().AddCheck<UpstreamsHealthCheck>("upstreams", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }
}

/// <summary>
/// The gateway is ready when every cluster has at least one destination that passed its active health check. While
/// one has none, each readiness check probes that cluster's destinations at once rather than waiting up to the probe
/// interval (5 s): the gateway turns ready as soon as its services do.
/// </summary>
internal sealed class UpstreamsHealthCheck(IProxyStateLookup proxyState, IActiveHealthCheckMonitor probes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unavailable = Unavailable();
        if (unavailable.Count > 0)
        {
            await probes.CheckHealthAsync(unavailable);
            unavailable = Unavailable();
        }

        return unavailable.Count == 0
            ? HealthCheckResult.Healthy("Every service has a healthy instance.")
            : HealthCheckResult.Unhealthy($"No healthy instance yet for: {string.Join(", ", unavailable.Select(cluster => cluster.ClusterId))}.");
    }

    private List<ClusterState> Unavailable() => proxyState.GetClusters()
        .Where(cluster => !cluster.Destinations.Values.Any(destination => destination.Health.Active == DestinationHealth.Healthy))
        .ToList();
}
