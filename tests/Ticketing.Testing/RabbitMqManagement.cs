using System.Net.Http.Headers;
using System.Text;

namespace Ticketing.Testing;

/// <summary>The few calls of RabbitMQ's management API the tests need: virtual hosts and peeking at queues.</summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient http;
    private readonly string user;

    public RabbitMqManagement(Uri managementUri)
    {
        var credentials = managementUri.UserInfo.Split(':', 2);
        user = Uri.UnescapeDataString(credentials[0]);
        http = new HttpClient { BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Authority) + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(managementUri.UserInfo))));
    }

    public async Task CreateVirtualHostAsync(string name)
    {
        (await http.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync(
            $"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string name) =>
        await http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}");

    /// <summary>Reads up to <paramref name="count"/> messages of a queue and puts them back (an inspection, not a consume).</summary>
    public async Task<IReadOnlyList<JsonElement>> PeekAsync(string virtualHost, string queue, int count = 10)
    {
        var response = await http.PostAsJsonAsync(
            $"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto" });
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [];
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A RabbitMQ virtual host of its own for one test class, so no test sees another's messages.</summary>
public sealed class IsolatedVirtualHost : IAsyncDisposable
{
    private readonly RabbitMqManagement management;

    private IsolatedVirtualHost(RabbitMqManagement management, string name, Uri amqpUri)
    {
        this.management = management;
        Name = name;
        AmqpUri = amqpUri;
    }

    public string Name { get; }

    /// <summary>The AMQP URI of this virtual host, with credentials.</summary>
    public Uri AmqpUri { get; }

    public RabbitMqManagement Management => management;

    public static async Task<IsolatedVirtualHost> CreateAsync(ServerEndpoints servers, string purpose)
    {
        var name = $"t-{IsolatedDatabase.Slug(purpose)}-{Guid.NewGuid():N}";
        var management = new RabbitMqManagement(servers.RabbitMqManagement);
        await management.CreateVirtualHostAsync(name);
        var amqp = new UriBuilder(servers.RabbitMq) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
        return new IsolatedVirtualHost(management, name, amqp);
    }

    public async ValueTask DisposeAsync()
    {
        await management.DeleteVirtualHostAsync(Name);
        management.Dispose();
    }
}
