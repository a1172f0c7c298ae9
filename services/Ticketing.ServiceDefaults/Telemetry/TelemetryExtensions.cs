using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ticketing.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Activity source of the platform's own spans (the outbox relay, for one).</summary>
    public static readonly ActivitySource Source = new("Ticketing");

    /// <summary>
    /// ASP.NET Core instruments measured on every request that no dashboard, alert or test reads: dropped, so that their
    /// meters are not listened to and the request does not pay for the measurement (each is a tag lookup and an aggregator
    /// update: metric updates were about 8 % of the gateway's CPU per waiting-room status read under perf, 2026-12-02).
    /// <c>http.server.request.duration</c> and <c>aspnetcore.rate_limiting.requests</c> stay (the drop-day dashboard).
    /// </summary>
    private static readonly string[] UnreadPerRequestInstruments =
    [
        "http.server.active_requests",
        "aspnetcore.routing.match_attempts",
        "aspnetcore.authentication.authenticate.duration",
        "aspnetcore.authorization.attempts",
        "aspnetcore.rate_limiting.request_lease.duration",
        "aspnetcore.rate_limiting.active_request_leases",
        "aspnetcore.rate_limiting.request.time_in_queue",
        "aspnetcore.rate_limiting.queued_requests",
    ];

    /// <summary>
    /// OpenTelemetry traces (ASP.NET Core, HttpClient, Npgsql, MassTransit, Marten, YARP) and metrics, exported
    /// over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; metrics also for Prometheus at <c>/metrics</c>
    /// (see <see cref="MetricsScraping"/>); JSON logs that carry the trace and span ids.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, MetricsScraping scraping = MetricsScraping.ServicePort)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true; // carries TraceId, SpanId and CorrelationId on every line
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = PrometheusEndpoint.From(builder.Configuration, scraping);
        builder.Services.AddSingleton(prometheus);
        // The platform's meters are "Ticketing" (the shared write path) and "Ticketing.<feature>" (holds, orders, stock,
        // queue, outbox, problems...); MassTransit's own meter counts consumed messages and consumer errors.
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter("MassTransit", "Marten", "Ticketing", "Ticketing.*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                foreach (var instrument in UnreadPerRequestInstruments)
                {
                    metrics.AddView(instrument, MetricStreamConfiguration.Drop);
                }

                prometheus.AddExporter(metrics);
            });

        // Spans are recorded for a share of the traces only (Telemetry:TraceSampleRatio, 5 % by default, and none when
        // nothing exports them), and for at most Telemetry:MaxTracesPerSecond of them a second (20 by default) per
        // process, so that a drop does not pay for a span per request and per message that nobody reads. A caller's
        // sampled traceparent is always followed, and W3C trace context is passed on either way.
        var ratio = exporting ? builder.Configuration.GetValue("Telemetry:TraceSampleRatio", 0.05) : 0;
        var maxTracesPerSecond = builder.Configuration.GetValue("Telemetry:MaxTracesPerSecond", 20);
        telemetry.WithTracing(tracing => tracing
            .SetSampler(new ParentBasedSampler(new CappedSampler(new TraceIdRatioBasedSampler(ratio), maxTracesPerSecond, TimeProvider.System)))
            .AddSource(Source.Name, "MassTransit", "Marten", "Yarp.ReverseProxy")
            .AddAspNetCoreInstrumentation(options =>
                options.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                    && !context.Request.Path.StartsWithSegments(PrometheusEndpoint.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql());
        if (exporting)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
