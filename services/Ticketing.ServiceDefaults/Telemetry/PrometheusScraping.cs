using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Ticketing.ServiceDefaults.Telemetry;

/// <summary>Where a process serves its Prometheus metrics.</summary>
public enum MetricsScraping
{
    /// <summary>
    /// <c>/metrics</c> on the process's own HTTP port, next to <c>/health</c>: a service, whose port only the gateway
    /// and the cluster's monitoring reach (the gateway routes no <c>/metrics</c>).
    /// </summary>
    ServicePort,

    /// <summary>
    /// Never on the process's HTTP port (the gateway: the one public door). <c>/metrics</c> is served on a port of its
    /// own, <c>Metrics:Port</c> on <c>Metrics:Host</c> (<c>127.0.0.1</c> unless set; <c>*</c> for every address, as in a
    /// pod), which is not published to fans; without a port no Prometheus endpoint exists.
    /// </summary>
    OwnPortOnly,
}

/// <summary>How this process's <c>/metrics</c> is served (registered by <see cref="TelemetryExtensions.AddTelemetry"/>).</summary>
public sealed record PrometheusEndpoint(MetricsScraping Scraping, string Host, int? Port)
{
    public const string Path = "/metrics";

    /// <summary>The configuration key of the gateway's metrics port (<see cref="MetricsScraping.OwnPortOnly"/>).</summary>
    public const string PortKey = "Metrics:Port";

    public static PrometheusEndpoint From(IConfiguration configuration, MetricsScraping scraping) => new(
        scraping,
        configuration["Metrics:Host"] is { Length: > 0 } host ? host : "127.0.0.1",
        scraping == MetricsScraping.OwnPortOnly ? configuration.GetValue<int?>(PortKey) : null);

    internal void AddExporter(MeterProviderBuilder metrics)
    {
        if (Scraping == MetricsScraping.ServicePort)
        {
            metrics.AddPrometheusExporter();
        }
        else if (Port is { } port)
        {
            metrics.AddPrometheusHttpListener(options =>
            {
                options.Host = Host;
                options.Port = port;
                options.ScrapeEndpointPath = Path;
            });
        }
    }

    internal void Map(WebApplication app)
    {
        if (Scraping == MetricsScraping.ServicePort)
        {
            // Anonymous like /health (Prometheus sends no token); not traced (see AddTelemetry's filter).
            app.MapPrometheusScrapingEndpoint(Path);
        }
    }
}
