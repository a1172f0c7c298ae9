using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// A stand-in Catalog instance for gateway tests that need a service misbehaving on cue: plain Kestrel on loopback,
/// its readiness probe answered with a chosen status, every catalog read (<c>/api/catalog/**</c>) by a delegate.
/// </summary>
internal static class StandInCatalog
{
    public static async Task<WebApplication> StartAsync(int readinessStatus, RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/health/ready", () => Results.StatusCode(readinessStatus));
        app.MapGet("/api/catalog/{**rest}", answer);
        await app.StartAsync();
        return app;
    }

    /// <summary>The settings of a gateway whose catalog cluster is <paramref name="catalog"/> alone.</summary>
    public static Dictionary<string, string?> GatewaySettings(WebApplication catalog)
    {
        var settings = PlatformFixture.GatewayBaseSettings();
        settings["Services:catalog"] = catalog.Urls.Single();
        return settings;
    }
}
