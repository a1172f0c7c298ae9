using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Tickets;

namespace Ticketing.Tickets.Tests;

/// <summary>
/// Tickets on real servers with its own database and virtual host. The recorder plays the Catalog and Orders:
/// it publishes ConcertPublished, ConfirmHold, SellHold... and hears what Tickets answers and announces.
/// </summary>
public class TicketsFixture : IAsyncLifetime
{
    private IsolatedDatabase database = null!;

    public ServiceHost<TicketsService> Tickets { get; private set; } = null!;

    public IsolatedVirtualHost Bus { get; private set; } = null!;

    /// <summary>The Tickets database, as the test reaches it directly (never through <see cref="DatabaseProxy"/>).</summary>
    public string DatabaseConnectionString => database.ConnectionString;

    /// <summary>With <see cref="ThroughDatabaseProxy"/>: the path from Tickets to PostgreSQL, which a test can cut.</summary>
    public TcpProxy? DatabaseProxy { get; private set; }

    protected virtual bool ThroughDatabaseProxy => false;
    public MessageRecorder Messages { get; private set; } = null!;

    /// <summary>Tickets' clock: real time, moved forward by a test to make holds due without waiting for them.</summary>
    public AdjustableClock Clock { get; } = new();

    /// <summary>How long a hold lasts (configured as in production).</summary>
    public static readonly TimeSpan HoldDuration = TimeSpan.FromMinutes(7);

    /// <summary>How long a concert's seat ledger stays in memory unused (configured as in production).</summary>
    public static readonly TimeSpan LedgerIdleAfter = TimeSpan.FromMinutes(30);

    public async Task InitializeAsync()
    {
        (database, Bus, Messages) = await IsolatedServers.CreateAsync(
            GetType().Name,
            typeof(HoldConfirmed), typeof(HoldRejected), typeof(SeatsHeld), typeof(SeatsReleased), typeof(TicketsIssued), typeof(TicketsVoided));
        var settings = PlatformFixture.ServiceSettings(database, Bus.AmqpUri);
        if (ThroughDatabaseProxy)
        {
            var direct = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            DatabaseProxy = new TcpProxy(direct.Host!, direct.Port);
            settings["ConnectionStrings:Postgres"] = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                Host = "127.0.0.1",
                Port = DatabaseProxy.Port,
            }.ConnectionString;
        }

        settings["Tickets:Holds:Duration"] = HoldDuration.ToString("c");
        settings["Tickets:Holds:ExpiryScanInterval"] = "00:00:00.200";
        settings["Tickets:Ledgers:IdleAfter"] = LedgerIdleAfter.ToString("c");
        settings["Tickets:Ledgers:SweepInterval"] = "00:00:00.200";
        Tickets = new ServiceHost<TicketsService>(settings, listen: false)
        {
            ConfigureServices = services => services.AddSingleton<TimeProvider>(Clock),
        };
        await Tickets.StartAsync();
        using var client = Tickets.CreateClient();
        await PlatformFixture.WaitUntilReadyAsync(client);
    }

    public Task DisposeAsync() => Resources.DisposeInOrderAsync(Tickets, DatabaseProxy, Messages, Bus, database);

    /// <summary>A client acting as one fan (a fan's token with <c>sub</c> = <paramref name="fanId"/>).</summary>
    public HttpClient Fan(string fanId) => Tickets.CreateClient().WithToken(TestTokens.Fan(fanId));

    /// <summary>A client acting as an operator (a gate scanner).</summary>
    public HttpClient Operator() => Tickets.CreateClient().WithToken(TestTokens.Operator("gate-1"));

    public HttpClient Anonymous() => Tickets.CreateClient();

    /// <summary>Publishes a concert as the Catalog would and waits until Tickets has built its inventory.</summary>
    public async Task<Guid> PublishConcertAsync(
        IReadOnlyList<SeatSection>? sections = null,
        int ticketLimitPerFan = 4,
        DateTimeOffset? saleOpensAt = null)
    {
        var concertId = Guid.NewGuid();
        sections ??=
        [
            new SeatSection("A", "VIP", [new SeatRow("1", 6), new SeatRow("2", 6)]),
            new SeatSection("B", "R", [new SeatRow("1", 10), new SeatRow("2", 10), new SeatRow("3", 10)]),
        ];
        await Messages.Publisher.Publish(new ConcertPublished(
            concertId, "NOVA", "First Light", "Han River Arena", "Seoul", "Asia/Seoul",
            DateTimeOffset.UtcNow.AddDays(30), saleOpensAt ?? DateTimeOffset.UtcNow.AddMinutes(-1), ticketLimitPerFan,
            [new PriceTier("VIP", "VIP floor", 198000m, "KRW"), new PriceTier("R", "R seat", 154000m, "KRW")],
            sections,
            sections.Sum(section => section.Rows.Sum(row => row.Seats)),
            DateTimeOffset.UtcNow));

        using var client = Anonymous();
        await Polling.UntilAsync(async () =>
        {
            using var response = await client.GetAsync($"/api/tickets/concerts/{concertId}/availability");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30));
        return concertId;
    }

    /// <summary>Holds <paramref name="seatIds"/> of the concert as <paramref name="fan"/> and returns the hold id.</summary>
    public static async Task<Guid> HoldAsync(HttpClient fan, Guid concertId, params string[] seatIds)
    {
        using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds });
        return (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
    }

    public static async Task<Dictionary<string, string>> SeatStatusesAsync(HttpClient client, Guid concertId)
    {
        var map = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/seats");
        return map.GetProperty("seats").EnumerateArray()
            .ToDictionary(seat => seat.GetProperty("seatId").GetString()!, seat => seat.GetProperty("status").GetString()!);
    }
}

public sealed class TicketsBehindDatabaseProxyFixture : TicketsFixture
{
    protected override bool ThroughDatabaseProxy => true;
}
