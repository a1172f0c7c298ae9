using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.Security;
using Ticketing.ServiceDefaults.Telemetry;

namespace Ticketing.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the health checks that must pass before an instance takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Telemetry, structured logs with trace ids, RFC 7807 problem details for every error, health checks,
    /// JWT bearer authentication with the shared policies and the correlation id: what every process of the platform (services and gateway) shares.
    /// </summary>
    /// <param name="builder">The process's builder.</param>
    /// <param name="metrics">Where Prometheus scrapes the process: a service on its own port, the gateway never on its public one.</param>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, MetricsScraping metrics = MetricsScraping.ServicePort)
    {
        builder.AddTelemetry(metrics);
        builder.Services.AddSingleton<ProblemMetrics>();
        builder.AddJsonDefaults();
        builder.Services.AddSingleton(TimeProvider.System);
        // Registered before the framework's writer, so it is the one that writes (whatever the Accept header says).
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString()
                ?? context.HttpContext.TraceIdentifier;
            if (context.HttpContext.Items[CorrelationIdMiddleware.ItemKey] is string correlationId)
            {
                context.ProblemDetails.Extensions["correlationId"] = correlationId;
            }
        });
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.AddTicketingAuthentication();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    /// <summary>
    /// Error handling and the correlation id, first in the pipeline. Authentication and authorization are added by
    /// each <c>Program</c> after it (the gateway puts its own protections in between).
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<CleanQueryMiddleware>();
        return app;
    }

    /// <summary>
    /// <c>/health/live</c> (the process answers), <c>/health/ready</c> (its dependencies answer) and, for a service,
    /// <c>/metrics</c> (Prometheus text format; see <see cref="MetricsScraping"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.Services.GetRequiredService<PrometheusEndpoint>().Map(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}

internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }
}
