using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Testing;

/// <summary>
/// One service (or the gateway) hosted in the test process with its real <c>Program</c>, configured by
/// <paramref name="settings"/>. With <paramref name="listen"/> it listens on a free loopback port with Kestrel,
/// so that the gateway can proxy to it over real HTTP.
/// </summary>
public sealed class ServiceHost<TEntryPoint>(IReadOnlyDictionary<string, string?> settings, bool listen)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public IReadOnlyDictionary<string, string?> Settings => settings;

    /// <summary>The address it listens on (only with <c>listen</c>).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Builds and starts the host. WebApplicationFactory does that synchronously (the Marten schema applied, the bus
    /// started, each waited for), so it runs on a thread of its own: blocking a thread-pool thread per host, with
    /// several fixtures starting at once on two cores, starves the very continuations those waits need.
    /// </summary>
    public Task StartAsync() =>
        Task.Factory.StartNew(Start, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Start()
    {
        if (listen)
        {
            UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
            StartServer();
        }
        else
        {
            _ = Server;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (ConfigureServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }
}
