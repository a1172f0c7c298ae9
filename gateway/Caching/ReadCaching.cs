using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;
using Ticketing.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Ticketing.Gateway.Caching;

/// <summary>
/// Makes anonymous reads nearly free, as a CDN would, without needing one:
/// <list type="bullet">
/// <item>an output cache for the routes that name the <see cref="PublicReadsPolicy"/> (<c>OutputCachePolicy</c> in the
/// YARP route config): an answer is kept as long as the service's <c>Cache-Control</c> says (<c>public, max-age</c>),
/// never when it is not <c>public</c>; identical requests that arrive while one is being answered wait for it (one
/// flight to the service per key at a time); a caller's <c>If-None-Match</c> naming the kept <c>ETag</c> gets 304;</item>
/// <item>Brotli or gzip for JSON when the caller accepts it (kept compressed, so a cached answer is compressed once);</item>
/// <item><c>Cache-Control: no-store</c> on every other API answer (tokens, holds, orders, "mine"), so no browser or
/// proxy keeps a personal answer;</item>
/// <item>an operator's change to the catalog through this gateway drops its cached catalog answers at once.</item>
/// </list>
/// Cached answers are served before rate limiting and authentication: they cost nothing, so a drop's fans behind one
/// carrier-NAT address are not capped by reading; what reaches a service is still limited.
/// </summary>
public static class ReadCaching
{
    public const string PublicReadsPolicy = "public-reads";

    /// <summary>Tag of every cached answer of a cluster (<c>cluster:catalog</c>), to drop them when that cluster is written.</summary>
    public static string ClusterTag(string clusterId) => "cluster:" + clusterId;

    public static IHostApplicationBuilder AddReadCaching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOutputCache(options =>
        {
            options.AddPolicy(PublicReadsPolicy, new PublicReadsOutputCachePolicy());
            options.SizeLimit = builder.Configuration.GetValue<long?>("Gateway:OutputCache:SizeLimitBytes") ?? 256L * 1024 * 1024;
        });
        builder.Services.AddResponseCompression(options =>
        {
            // Callers authenticate with bearer tokens, never cookies, so a third-party page cannot make a browser send
            // a signed-in request whose compressed size would leak a secret (BREACH): compressing over HTTPS is safe.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ["application/json", "application/problem+json", "text/plain", "image/svg+xml"];
        });
        // Cached answers are compressed once and served many times: worth the better (slower) levels.
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        return builder;
    }

    /// <summary>For YARP's <c>AddTransforms</c>: the service's <c>Cache-Control</c> sets how long the gateway keeps an answer.</summary>
    public static void AddCacheLifetime(TransformBuilderContext context)
    {
        if (context.Route.OutputCachePolicy is null)
        {
            return;
        }

        context.AddResponseTransform(transform =>
        {
            if (transform.HttpContext.Features.Get<IOutputCacheFeature>()?.Context is { } cache)
            {
                var lifetime = transform.ProxyResponse is { StatusCode: System.Net.HttpStatusCode.OK } response
                    ? SharedLifetime(response.Headers.CacheControl?.ToString())
                    : null;
                cache.AllowCacheStorage &= lifetime is not null;
                cache.ResponseExpirationTimeSpan = lifetime;
                cache.Tags.Add(ClusterTag(context.Cluster?.ClusterId ?? ""));
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Output cache, then compression (so what is kept is compressed), then the API answers' default <c>no-store</c>.</summary>
    public static WebApplication UseReadCaching(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/api") || path.StartsWithSegments("/auth"))
            {
                context.Response.OnStarting(() =>
                {
                    // Only the public reads of the output-cached routes may be kept, and only as their service says.
                    var headers = context.Response.Headers;
                    if (string.IsNullOrEmpty(headers.CacheControl) || context.GetEndpoint()?.Metadata.GetMetadata<OutputCacheAttribute>() is null)
                    {
                        headers.CacheControl = CacheControl.NoStore;
                    }

                    return Task.CompletedTask;
                });
            }

            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) &&
                context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is { Config.AuthorizationPolicy: "operator", Cluster: { } cluster })
            {
                // An operator's change (publish, revise, cancel, restock) shows at once through this gateway: the
                // cluster's kept answers go before the operator hears that the change was made.
                context.Response.OnStarting(async () =>
                {
                    if (context.Response.StatusCode is >= 200 and < 300)
                    {
                        await context.RequestServices.GetRequiredService<IOutputCacheStore>()
                            .EvictByTagAsync(ClusterTag(cluster.ClusterId), CancellationToken.None);
                    }
                });
            }

            await next(context);
        });
        app.UseOutputCache();
        app.UseResponseCompression();
        return app;
    }

    /// <summary>How long a shared cache may keep an answer with this <c>Cache-Control</c>; null when it must not.</summary>
    internal static TimeSpan? SharedLifetime(string? cacheControl)
    {
        if (!CacheControlHeaderValue.TryParse(cacheControl, out var parsed) ||
            !parsed.Public || parsed.Private || parsed.NoStore || parsed.NoCache)
        {
            return null;
        }

        var lifetime = parsed.SharedMaxAge ?? parsed.MaxAge;
        return lifetime is { } value && value > TimeSpan.Zero ? value : null;
    }

    /// <summary>
    /// GET and HEAD of a public read, whoever asks (a bearer token does not change a public answer, and the service
    /// marks an answer <c>public</c> only when it is the same for everyone), varying by query and by the encoding the
    /// answer was compressed with.
    /// </summary>
    private sealed class PublicReadsOutputCachePolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var request = context.HttpContext.Request;
            var attempt = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = attempt;
            context.AllowCacheStorage = attempt;
            context.AllowLocking = true;
            context.CacheVaryByRules.QueryKeys = "*";
            context.CacheVaryByRules.VaryByHost = false;
            context.CacheVaryByRules.VaryByValues["encoding"] = EncodingOf(request);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        /// <summary>
        /// Called once the answer has been passed on, before the output cache stores it and hands it to the requests
        /// waiting for the same read. Only a whole answer is kept: one whose caller
        /// went away, or whose service stopped answering, part-way (YARP then returns normally with the error
        /// recorded) is not, and the callers waiting for the same read ask the service themselves. The output cache of
        /// ASP.NET Core 10.0.12 keeps such a cut answer and gives it to every caller until it expires
        /// (dotnet/aspnetcore#56427): a picture kept a year cut short or empty, a concert list that is not JSON.
        /// </summary>
        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0 ||
                SharedLifetime(response.Headers.CacheControl) is null ||
                context.HttpContext.RequestAborted.IsCancellationRequested ||
                context.HttpContext.Features.Get<IForwarderErrorFeature>() is not null)
            {
                context.AllowCacheStorage = false;
            }

            return ValueTask.CompletedTask;
        }

        /// <summary>The encoding the compression middleware will choose for this request (br over gzip over none).</summary>
        private static string EncodingOf(HttpRequest request)
        {
            if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var accepted))
            {
                return "identity";
            }

            bool Accepts(string name) => accepted.Any(value =>
                (value.Value.Equals(name, StringComparison.OrdinalIgnoreCase) || value.Value.Equals("*", StringComparison.Ordinal)) &&
                (value.Quality ?? 1) > 0);

            return Accepts("br") ? "br" : Accepts("gzip") ? "gzip" : "identity";
        }
    }
}
