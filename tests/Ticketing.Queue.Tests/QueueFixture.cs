using Marten;
using Npgsql;
using Ticketing.Contracts.Catalog;
using Ticketing.Queue;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Tests;

/// <summary>
/// The Queue service on real servers with its own database and virtual host. The recorder plays the Catalog, Tickets
/// and Orders: it publishes ConcertPublished, ProductPublished, sold-out and order messages, as they would.
/// </summary>
public class QueueFixture : IAsyncLifetime
{
    private IsolatedDatabase database = null!;
    private IsolatedVirtualHost bus = null!;

    public ServiceHost<QueueService> Queue { get; private set; } = null!;
    public MessageRecorder Messages { get; private set; } = null!;
    public string ConnectionString => database.ConnectionString;

    /// <summary>How long the admission runner waits between rounds that admit nobody.</summary>
    public static readonly TimeSpan AdmissionInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The Queue host's clock: real time, which a test may move forward (a sale opens without waiting for it).</summary>
    public AdjustableClock Clock { get; } = new();

    /// <summary>Verifies passes with the key the test hosts share, as Tickets and Orders do.</summary>
    public AdmissionPasses Passes { get; } = new(PlatformFixture.TestAdmissionPassKey);

    public virtual async Task InitializeAsync()
    {
        (database, bus, Messages) = await IsolatedServers.CreateAsync(GetType().Name);
        var settings = PlatformFixture.ServiceSettings(database, bus.AmqpUri);
        settings["Queue:FollowInterval"] = "00:00:00.050";
        settings["Queue:Admission:Interval"] = AdmissionInterval.ToString("c");
        Queue = new ServiceHost<QueueService>(Configure(settings), listen: Listens)
        {
            ConfigureServices = services => services.AddSingleton<TimeProvider>(Clock),
        };
        await Queue.StartAsync();
        using var client = Queue.CreateClient();
        await PlatformFixture.WaitUntilReadyAsync(client);
    }

    protected virtual Dictionary<string, string?> Configure(Dictionary<string, string?> settings) => settings;

    /// <summary>Whether the Queue listens on a loopback port (for a gateway in front of it).</summary>
    protected virtual bool Listens => false;

    public virtual Task DisposeAsync() => Resources.DisposeInOrderAsync(Queue, Messages, bus, database);

    public HttpClient Fan(string fanId) => Queue.CreateClient().WithToken(TestTokens.Fan(fanId));

    public HttpClient Operator() => Queue.CreateClient().WithToken(TestTokens.Operator("ops-1"));

    public HttpClient Anonymous() => Queue.CreateClient();

    /// <summary>
    /// Publishes a concert with a waiting room as the Catalog would (defaults: the room opened a minute ago, the sale
    /// opens now) and waits until the Queue knows it.
    /// </summary>
    public async Task<Guid> AnnounceConcertAsync(
        int admissionsPerMinute = 60,
        DateTimeOffset? opensAt = null,
        DateTimeOffset? saleOpensAt = null,
        int? maxActive = null,
        int passMinutes = 10)
    {
        var concertId = Guid.NewGuid();
        var sale = saleOpensAt ?? DateTimeOffset.UtcNow;
        await Messages.Publisher.Publish(new ConcertPublished(
            concertId, "NOVA", "First Light", "Han River Arena", "Seoul", "Asia/Seoul",
            DateTimeOffset.UtcNow.AddDays(30), sale, 4,
            [new PriceTier("R", "R seat", 154000m, "KRW")],
            [new SeatSection("A", "R", [new SeatRow("1", 10)])],
            10,
            DateTimeOffset.UtcNow)
        {
            WaitingRoom = new WaitingRoom(opensAt ?? DateTimeOffset.UtcNow.AddMinutes(-1), admissionsPerMinute, maxActive, passMinutes),
        });
        await KnownAsync(concertId);
        return concertId;
    }

    /// <summary>Publishes a merch product with a waiting room, released at <paramref name="releaseAt"/>.</summary>
    public async Task<Guid> AnnounceProductAsync(int admissionsPerMinute, DateTimeOffset opensAt, DateTimeOffset releaseAt)
    {
        var productId = Guid.NewGuid();
        await Messages.Publisher.Publish(new ProductPublished(
            productId, $"LS-{productId:N}"[..12], "Lightstick", "NOVA", 45000m, "KRW", 100, 2, releaseAt, DateTimeOffset.UtcNow)
        {
            WaitingRoom = new WaitingRoom(opensAt, admissionsPerMinute, null, 10),
        });
        await KnownAsync(productId);
        return productId;
    }

    /// <summary>Waits until the Queue has recorded that <paramref name="orderId"/> buys in one of its drops.</summary>
    public async Task OrderLinkedAsync(Guid orderId)
    {
        var store = Queue.Services.GetRequiredService<Marten.IDocumentStore>();
        await Polling.UntilAsync(async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<Ticketing.Queue.Orders.OrderInDrop>().AnyAsync(link => link.OrderId == orderId);
        }, TimeSpan.FromSeconds(20));
    }

    public async Task KnownAsync(Guid dropId)
    {
        using var client = Operator();
        await Polling.UntilAsync(async () => (await client.GetAsync($"/api/queue/{dropId}")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
    }

    public async Task<JsonElement> CountersAsync(Guid dropId)
    {
        using var client = Operator();
        return await (await client.GetAsync($"/api/queue/{dropId}")).ReadJsonAsync<JsonElement>();
    }

    /// <summary>Waits until the counters satisfy <paramref name="condition"/>; returns them.</summary>
    public async Task<JsonElement> CountersUntilAsync(Guid dropId, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var last = default(JsonElement);
        await Polling.UntilAsync(async () => condition(last = await CountersAsync(dropId)), timeout ?? TimeSpan.FromSeconds(30));
        return last;
    }

    /// <summary>The drop's admissions as the stream recorded them: entry ids in admission order, with the time of each group.</summary>
    public Task<IReadOnlyList<(Guid EntryId, DateTimeOffset At)>> AdmissionsAsync(Guid dropId) => ReadAdmissionsAsync(ConnectionString, dropId);

    /// <summary>Entry ids in the order the drop's stream recorded their joins (arrival order).</summary>
    public Task<IReadOnlyList<Guid>> JoinOrderAsync(Guid dropId) => ReadJoinOrderAsync(ConnectionString, dropId);

    public static async Task<IReadOnlyList<Guid>> ReadJoinOrderAsync(string connectionString, Guid dropId) =>
        (await ReadEventsAsync(connectionString, dropId, "entries_joined"))
        .SelectMany(joined => joined.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("entryId").GetGuid()))
        .ToList();

    public static async Task<IReadOnlyList<(Guid EntryId, DateTimeOffset At)>> ReadAdmissionsAsync(string connectionString, Guid dropId) =>
        (await ReadEventsAsync(connectionString, dropId, "fans_admitted"))
        .SelectMany(admitted => admitted.GetProperty("entryIds").EnumerateArray().Select(id => (id.GetGuid(), admitted.GetProperty("at").GetDateTimeOffset())))
        .ToList();

    /// <summary>The data of the drop stream's events of one type (Marten's type name), in stream order.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ReadEventsAsync(string connectionString, Guid dropId, string type)
    {
        var events = new List<JsonElement>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT data FROM mt_events WHERE stream_id = @drop AND type = @type ORDER BY version", connection);
        command.Parameters.AddWithValue("drop", dropId);
        command.Parameters.AddWithValue("type", type);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var data = JsonDocument.Parse(reader.GetString(0));
            events.Add(data.RootElement.Clone());
        }

        return events;
    }
}

public static class QueueRequests
{
    public static Task<HttpResponseMessage> JoinAsync(this HttpClient fan, Guid dropId, string? membershipCode = null) =>
        fan.PostAsJsonAsync($"/api/queue/{dropId}/entries", new { membershipCode });

    public static async Task<JsonElement> MineAsync(this HttpClient fan, Guid dropId)
    {
        using var response = await fan.GetAsync($"/api/queue/{dropId}/entries/mine");
        return await response.ReadJsonAsync<JsonElement>();
    }

    public static async Task<string> ReasonAsync(this HttpResponseMessage response) =>
        (await response.ReadJsonAsync<JsonElement>()).TryGetProperty("reason", out var reason) ? reason.GetString()! : "";
}
