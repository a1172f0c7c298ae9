using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ticketing.ServiceDefaults.Http;

public static class JsonDefaults
{
    /// <summary>camelCase JSON with enums as their names and a nesting limit well below the framework's 64.</summary>
    public static IHostApplicationBuilder AddJsonDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.MaxDepth = 16;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        return builder;
    }
}
