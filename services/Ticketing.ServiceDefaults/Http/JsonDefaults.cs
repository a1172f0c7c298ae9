using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ticketing.ServiceDefaults.Http;

public static class JsonDefaults
{
    /// <summary>
    /// camelCase JSON with enums as their names, a nesting limit well below the framework's 64, strings without
    /// control characters (<see cref="CleanStringConverter"/>), and request-reading failures thrown (in every
    /// environment, not only Development) so the problem-details handler can say which field was wrong.
    /// </summary>
    public static IHostApplicationBuilder AddJsonDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.MaxDepth = 16;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.Converters.Add(new CleanStringConverter());
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }
}
