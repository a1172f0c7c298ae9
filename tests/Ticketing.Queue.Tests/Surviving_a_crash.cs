using System.Collections.Concurrent;
using Npgsql;
using Ticketing.Contracts.Catalog;
using Ticketing.Queue.Admission;

namespace Ticketing.Queue.Tests;

/// <summary>Two real processes of the Queue service on one database and virtual host, as in production.</summary>
public sealed class TwoQueueProcesses : IAsyncLifetime
{
    private readonly List<ProcessHost> instances = [];
    private IsolatedDatabase database = null!;
    private IsolatedVirtualHost bus = null!;

    public MessageRecorder Messages { get; private set; } = null!;
    public IReadOnlyList<ProcessHost> Instances => instances;
    public string ConnectionString => database.ConnectionString;
    public ServerEndpoints Servers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.GetAsync();
        database = await IsolatedDatabase.CreateAsync(Servers, "queuecrash");
        bus = await IsolatedVirtualHost.CreateAsync(Servers, nameof(TwoQueueProcesses));
        Messages = await MessageRecorder.StartAsync(bus.AmqpUri);
        instances.Add(await StartAsync(1)); // the first alone creates the schema and queues
        instances.Add(await StartAsync(2));
    }

    public async Task<ProcessHost> StartAsync(int ordinal)
    {
        var name = $"queue-{ordinal}";
        var settings = PlatformFixture.ServiceSettings(database, bus.AmqpUri);
        settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = name }.ConnectionString;
        settings["Queue:FollowInterval"] = "00:00:00.050";
        settings["Queue:Admission:Interval"] = "00:00:00.050";
        settings["Logging:LogLevel:Default"] = "Warning";
        var host = await ProcessHost.StartAsync(name, "services/Queue/Ticketing.Queue.csproj", settings);
        return host;
    }

    public void Add(ProcessHost host) => instances.Add(host);

    /// <summary>The instance holding the admission runner's advisory lock, by its connections' application name.</summary>
    public async Task<string?> AdmittingInstanceAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = @key
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """,
            connection);
        command.Parameters.AddWithValue("key", AdmissionRunner.AdmissionLockKey);
        return (string?)await command.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        await Messages.DisposeAsync();
        await bus.DisposeAsync();
        await database.DisposeAsync();
    }
}

/// <summary>Acceptance point 4: kill -9 of the admitting Queue process mid-admission loses no place and no pass.</summary>
public sealed class Surviving_a_crash(TwoQueueProcesses queue, ITestOutputHelper output) : IClassFixture<TwoQueueProcesses>
{
    private const int Fans = 300;

    [Fact]
    public async Task Killing_the_admitting_instance_mid_admission_loses_no_place_and_no_pass_and_admission_goes_on()
    {
        var dropId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await queue.Messages.Publisher.Publish(new ConcertPublished(
            dropId, "NOVA", "First Light", "Han River Arena", "Seoul", "Asia/Seoul", now.AddDays(30), now.AddSeconds(-1), 4,
            [new PriceTier("R", "R seat", 154000m, "KRW")], [new SeatSection("A", "R", [new SeatRow("1", 10)])], 10, now)
        {
            WaitingRoom = new WaitingRoom(now.AddMinutes(-5), 600, null, 10), // 10 a second
        });

        // Fans join through both instances, alternately.
        var clients = queue.Instances.Select(instance => new HttpClient { BaseAddress = instance.Address }).ToList();
        await Polling.UntilAsync(async () => (await JoinAsync(clients[0], dropId, "probe")).StatusCode != HttpStatusCode.NotFound, TimeSpan.FromSeconds(30));
        var places = new ConcurrentDictionary<string, Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Fans), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            using var response = await JoinAsync(clients[i % 2], dropId, $"fan-{i:D3}");
            Assert.True(response.IsSuccessStatusCode, $"join answered {(int)response.StatusCode}");
            places[$"fan-{i:D3}"] = (await response.ReadJsonAsync<JsonElement>()).GetProperty("entryId").GetGuid();
        });

        // Mid-admission: some fans are in, most still wait. Then the admitting instance dies by SIGKILL.
        await Polling.UntilAsync(async () => await AdmittedAsync(clients[0], dropId) >= 30, TimeSpan.FromSeconds(60));
        var leaderName = await queue.AdmittingInstanceAsync();
        var leader = queue.Instances.Single(instance => instance.Name == leaderName);
        var survivor = queue.Instances.Single(instance => instance != leader);
        var before = await PlacesAsync(clients[queue.Instances.ToList().IndexOf(survivor)], dropId);
        leader.Kill();
        var admittedAtKill = before.Count(place => place.Value.Status == "admitted");
        output.WriteLine($"killed {leader.Name} with {admittedAtKill} of {Fans} admitted");

        // The survivor takes over admission and goes on where it stopped.
        using var survivorClient = new HttpClient { BaseAddress = survivor.Address };
        await Polling.UntilAsync(async () => await AdmittedAsync(survivorClient, dropId) >= admittedAtKill + 40, TimeSpan.FromSeconds(60));
        Assert.Equal(survivor.Name, await queue.AdmittingInstanceAsync());

        // A new process, which knows only the database, sees every place and every pass as they were.
        var restarted = await queue.StartAsync(3);
        queue.Add(restarted);
        using var restartedClient = new HttpClient { BaseAddress = restarted.Address };
        var after = await PlacesAsync(restartedClient, dropId);
        foreach (var (fan, place) in before)
        {
            Assert.Equal(places[fan], after[fan].EntryId);
            if (place.Status == "admitted")
            {
                Assert.Equal("admitted", after[fan].Status);
                Assert.Equal(place.Pass, after[fan].Pass);
            }
        }

        // Nobody twice, and in queue order (these fans all came after the opening: first come, first served).
        var admissions = (await QueueFixture.ReadAdmissionsAsync(queue.ConnectionString, dropId)).Select(admission => admission.EntryId).ToList();
        var joinOrder = await QueueFixture.ReadJoinOrderAsync(queue.ConnectionString, dropId);
        Assert.Equal(admissions.Count, admissions.Distinct().Count());
        Assert.Equal(joinOrder.Take(admissions.Count).ToList(), admissions);
        clients.ForEach(client => client.Dispose());
    }

    private static async Task<HttpResponseMessage> JoinAsync(HttpClient client, Guid dropId, string fan)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/queue/{dropId}/entries") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", TestTokens.Fan(fan));
        return await client.SendAsync(request);
    }

    private static async Task<int> AdmittedAsync(HttpClient client, Guid dropId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/queue/{dropId}");
        request.Headers.Authorization = new("Bearer", TestTokens.Operator("ops"));
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode ? (await response.ReadJsonAsync<JsonElement>()).GetProperty("admitted").GetInt32() : -1;
    }

    private sealed record Place(Guid EntryId, string Status, string? Pass);

    /// <summary>Every fan's place as one instance shows it.</summary>
    private static async Task<Dictionary<string, Place>> PlacesAsync(HttpClient client, Guid dropId)
    {
        var places = new ConcurrentDictionary<string, Place>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Fans), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var fan = $"fan-{i:D3}";
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/queue/{dropId}/entries/mine");
            request.Headers.Authorization = new("Bearer", TestTokens.Fan(fan));
            using var response = await client.SendAsync(request);
            var body = await response.ReadJsonAsync<JsonElement>();
            places[fan] = new Place(body.GetProperty("entryId").GetGuid(), body.GetProperty("status").GetString()!, body.GetProperty("admissionPass").GetString());
        });
        return places.ToDictionary();
    }
}
