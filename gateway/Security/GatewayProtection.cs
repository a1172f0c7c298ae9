using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Ticketing.ServiceDefaults.Http;

namespace Ticketing.Gateway.Security;

/// <summary>A fixed-window limit: <see cref="PermitLimit"/> requests per <see cref="Window"/>.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// <c>Gateway:RateLimits</c>. A signed-in caller is limited per fan (the token's <c>sub</c>), never per address: thousands
/// of fans share one carrier-NAT address, and a drop must not be capped by it. Only anonymous requests are counted
/// per client address, with a generous limit.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Per fan, for everything but holds and checkouts.</summary>
    public RateLimit Fan { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromSeconds(1) };

    /// <summary>Per fan, for placing holds and checking out: what stops a bot.</summary>
    public RateLimit FanHolds { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Per client address, for anonymous requests only.</summary>
    public RateLimit Anonymous { get; set; } = new() { PermitLimit = 5000, Window = TimeSpan.FromSeconds(1) };
}

public static class GatewayProtection
{
    /// <summary>Rate limiter policy of reads and operator writes.</summary>
    public const string StandardPolicy = "standard";

    /// <summary>Rate limiter policy of placing holds and checking out.</summary>
    public const string HoldsPolicy = "holds";

    private const string CorsSection = "Gateway:Cors:AllowedOrigins";

    /// <summary>Rate limits, CORS (closed unless origins are configured) and the request body limit.</summary>
    public static IHostApplicationBuilder AddGatewayProtection(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("Gateway:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        // The limits are the whole platform's: with N gateway instances each counts in its own memory, so each allows
        // its share, ceil(limit / N) (Gateway:Replicas, default 1). Combined they allow the limit (up to N - 1 more by
        // rounding) when a fan's requests are spread over the instances; a fan whose requests all reach one instance
        // gets that instance's share. (A counter shared between instances would need a store every request waits on.)
        var replicas = Math.Max(1, builder.Configuration.GetValue<int?>("Gateway:Replicas") ?? 1);
        limits = new RateLimitOptions
        {
            Fan = Share(limits.Fan, replicas),
            FanHolds = Share(limits.FanHolds, replicas),
            Anonymous = Share(limits.Anonymous, replicas),
        };
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(StandardPolicy, new FixedWindowPolicy(limits.Fan, limits.Anonymous, countFansByAddress: false, TimeProvider.System));
            options.AddPolicy(HoldsPolicy, new FixedWindowPolicy(limits.FanHolds, limits.Anonymous, countFansByAddress: false, TimeProvider.System));
            options.AddQueuePolicies(builder.Configuration);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"Slow down: try again in {seconds} s.");
            };
        });

        var origins = builder.Configuration.GetSection(CorsSection).Get<string[]>() ?? [];
        if (origins.Length > 0)
        {
            builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
                .WithOrigins(origins)
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "X-Admission-Pass", CorrelationIdMiddleware.HeaderName)
                .WithExposedHeaders("Retry-After", CorrelationIdMiddleware.HeaderName)));
        }

        return builder;
    }

    /// <summary>Security headers, the body size limit and CORS: before authentication, so refusals carry them too.</summary>
    public static WebApplication UseGatewayProtection(this WebApplication app)
    {
        var maxBodyBytes = app.Configuration.GetValue<long?>("Gateway:MaxRequestBodyBytes") ?? 64 * 1024;

        // Picture uploads (POST /api/catalog/{products|concerts}/{id}/images) may be larger; the Catalog checks its own 5 MB limit.
        var maxImageBytes = app.Configuration.GetValue<long?>("Gateway:MaxImageUploadBytes") ?? 6 * 1024 * 1024;
        app.Use(async (context, next) =>
        {
            var bodyLimit = IsPictureUpload(context.Request) ? maxImageBytes : maxBodyBytes;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // Pages of the web apps set their own policy; everything else (API answers) allows nothing.
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                }
                return Task.CompletedTask;
            });

            if (context.Request.ContentLength > bodyLimit)
            {
                await WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"Request bodies may be at most {bodyLimit} bytes.");
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = bodyLimit;
            }

            await next(context);
        });

        if ((app.Configuration.GetSection(CorsSection).Get<string[]>() ?? []).Length > 0)
        {
            app.UseCors();
        }

        return app;
    }

    private static bool IsPictureUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.Path.StartsWithSegments("/api/catalog", StringComparison.OrdinalIgnoreCase)
        && request.Path.Value!.EndsWith("/images", StringComparison.OrdinalIgnoreCase);

    /// <summary>One instance's share of a platform-wide limit.</summary>
    public static RateLimit Share(RateLimit limit, int replicas) => new()
    {
        PermitLimit = Math.Max(1, (int)Math.Ceiling(limit.PermitLimit / (double)replicas)),
        Window = limit.Window,
    };

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
