using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ticketing.ServiceDefaults.Http;

public static class NoStoreExtensions
{
    /// <summary>
    /// <c>Cache-Control: no-store</c> on every answer of the endpoints (errors included): tokens and a fan's own holds,
    /// orders and tickets must not be kept by a browser, a proxy or the gateway's cache, where the next user of a shared
    /// device or cache could read them.
    /// </summary>
    public static TBuilder NoStore<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
}
