using Microsoft.Net.Http.Headers;

namespace Ticketing.Gateway.Dashboards;

/// <summary>
/// The operators' dashboard at <c>/ops</c>: static files built from <c>gateway/clients/ops</c> into
/// <c>wwwroot/ops</c> (by <c>./ticketing up</c> and <c>./ticketing test</c>). The page itself is public; the data
/// it shows comes from the operator-only <c>/api/insights</c> routes, with the token the page gets at sign-in.
/// </summary>
public static class OpsDashboard
{
    public const string Path = "/ops";

    /// <summary>What the page may load: only its own files and its own origin's API.</summary>
    private const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public static WebApplication MapOpsDashboard(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.ContentSecurityPolicy = PagePolicy;
                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
                {
                    context.Response.Headers.CacheControl = "no-cache";
                }

                return Task.CompletedTask;
            });
            return next(context);
        }));
        // Its files (wwwroot/ops) are served by the gateway's static files; /ops, /ops/ and any client-side path
        // under it get the page.
        app.MapFallbackToFile($"{Path}/{{**path:nonfile}}", "ops/index.html");
        return app;
    }
}
