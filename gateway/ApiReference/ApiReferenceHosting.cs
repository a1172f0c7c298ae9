using Scalar.AspNetCore;
using Ticketing.Gateway.Security;
using Ticketing.ServiceDefaults.OpenApi;

namespace Ticketing.Gateway.ApiReference;

/// <summary>
/// Development only (<c>Gateway:ApiReference:Enabled</c>, on in <c>appsettings.Development.json</c>, off everywhere
/// else): each service's OpenAPI document at <c>/openapi/{service}.json</c>, proxied by YARP to the service's own
/// document, and a browsable API reference (Scalar) at <c>/scalar</c> over all of them. With it off, both paths are
/// the gateway's 404 like any unknown one.
/// </summary>
public static class ApiReferenceHosting
{
    public const string EnabledKey = "Gateway:ApiReference:Enabled";

    public const string ReferencePath = "/scalar";

    /// <summary>The YARP route id of a service's document route (<c>openapi-catalog</c>, ...).</summary>
    public static string RouteId(ServiceDocument document) => $"openapi-{document.Name}";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    /// <summary>
    /// One anonymous GET route per service document, to the service's cluster (any healthy instance): added to the
    /// <c>ReverseProxy</c> configuration before YARP reads it, so they exist only where the reference is on.
    /// </summary>
    public static IHostApplicationBuilder AddApiReference(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        var routes = new Dictionary<string, string?>();
        foreach (var document in ServiceDocuments.All)
        {
            var route = $"ReverseProxy:Routes:{RouteId(document)}";
            routes[$"{route}:ClusterId"] = document.Name;
            routes[$"{route}:Match:Path"] = document.Path;
            routes[$"{route}:Match:Methods:0"] = HttpMethods.Get;
            routes[$"{route}:AuthorizationPolicy"] = "Anonymous";
            routes[$"{route}:RateLimiterPolicy"] = GatewayProtection.StandardPolicy;
        }

        builder.Configuration.AddInMemoryCollection(routes);
        return builder;
    }

    /// <summary>The Scalar page at <c>/scalar</c> (one document per service, catalog first), with its own content security policy.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        app.UseWhen(context => context.Request.Path.StartsWithSegments(ReferencePath), branch => branch.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                // The page's scripts are Scalar's own file and its inline start-up script, marked with this request's nonce.
                var nonce = context.Items[ScalarOptions.NonceHttpContextItemKey] as string;
                context.Response.Headers.ContentSecurityPolicy =
                    $"default-src 'self'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; " +
                    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; " +
                    "form-action 'self'; object-src 'none'; frame-ancestors 'none'";
                return Task.CompletedTask;
            });
            return next(context);
        }));

        app.MapScalarApiReference(ReferencePath, options =>
        {
            options.WithTitle("Ticketing API")
                .WithOpenApiRoutePattern(ServiceOpenApiExtensions.DocumentRoute)
                .DisableDefaultFonts()
                .DisableAgent() // no AI chat: it would send the documents to a third party
                .HideDeveloperTools()
                .WithNonce()
                .AddPreferredSecuritySchemes(ServiceOpenApiExtensions.BearerScheme);
            foreach (var document in ServiceDocuments.All)
            {
                options.AddDocument(document.Name, document.Title, isDefault: document == ServiceDocuments.Catalog);
            }
        }).AllowAnonymous().RequireRateLimiting(GatewayProtection.StandardPolicy);
        return app;
    }
}
