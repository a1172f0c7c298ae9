using Microsoft.Net.Http.Headers;

namespace Ticketing.Gateway.FanApp;

/// <summary>
/// Serves the fan web app (built by npm from <c>clients/fan</c> into <c>wwwroot</c>) at <c>/</c>: its static files, and
/// <c>index.html</c> for each of the app's own routes so a reload or a shared link of <c>/concerts/{id}</c> works.
/// Only the app's routes fall back to the page; any other path (<c>/api</c>, <c>/auth</c>, <c>/ops</c>, <c>/health</c>,
/// typos) keeps the gateway's problem-details 404.
/// </summary>
public static class FanAppHosting
{
    /// <summary>The routes the app's client-side router knows; each answers with <c>index.html</c>.</summary>
    public static readonly string[] ClientRoutes =
    [
        "/",
        "/signin",
        "/concerts/{concertId:guid}",
        "/merch",
        "/merch/{productId:guid}",
        "/checkout",
        "/orders",
        "/orders/{orderId:guid}",
        "/tickets",
    ];

    /// <summary>
    /// The page's policy: scripts, styles and requests only from this origin, images also as data URLs (QR codes).
    /// API responses keep the gateway's <c>default-src 'none'</c>.
    /// </summary>
    public const string PageContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

    private const string IndexFile = "index.html";

    /// <summary>Static files of <c>wwwroot</c>: hashed bundles cached for a year, everything else revalidated.</summary>
    public static WebApplication UseFanAppFiles(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = PageContentSecurityPolicy;
                headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }

    /// <summary>The app's routes answer with <c>index.html</c> (404 problem when the app has not been built).</summary>
    public static WebApplication MapFanApp(this WebApplication app)
    {
        foreach (var route in ClientRoutes)
        {
            app.MapGet(route, ServeIndex).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static IResult ServeIndex(HttpContext context, IWebHostEnvironment environment)
    {
        var index = environment.WebRootFileProvider.GetFileInfo(IndexFile);
        if (!index.Exists || index.PhysicalPath is null)
        {
            return TypedResults.Problem(
                title: "Fan app not built",
                detail: "gateway/wwwroot has no index.html; ./ticketing up builds it (npm ci && npm run build in gateway/clients/fan).",
                statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.Headers.ContentSecurityPolicy = PageContentSecurityPolicy;
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(index.PhysicalPath, "text/html; charset=utf-8");
    }
}
