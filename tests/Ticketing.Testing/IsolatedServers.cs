namespace Ticketing.Testing;

/// <summary>What a single-service fixture starts from on the test servers.</summary>
public static class IsolatedServers
{
    /// <summary>
    /// A database and a virtual host of their own for one test class (named after <paramref name="purpose"/>), and a
    /// recorder on that virtual host that hears the messages of the <paramref name="recorded"/> types.
    /// </summary>
    public static async Task<(IsolatedDatabase Database, IsolatedVirtualHost Bus, MessageRecorder Messages)> CreateAsync(
        string purpose, params Type[] recorded)
    {
        var servers = await TestServers.GetAsync();
        var database = await IsolatedDatabase.CreateAsync(servers, purpose);
        var bus = await IsolatedVirtualHost.CreateAsync(servers, purpose);
        return (database, bus, await MessageRecorder.StartAsync(bus.AmqpUri, recorded));
    }
}
