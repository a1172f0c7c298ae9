using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Queue;

/// <summary>One answer: its status, the entry id it names (joins and reads), and how long it took.</summary>
public readonly record struct QueueAnswer(int Status, Guid EntryId, double Milliseconds);

/// <summary>The waiting room's HTTP calls, against the gateway or the Queue service directly.</summary>
public sealed class QueueApi(HttpClient http, Uri baseAddress)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly byte[] EmptyJoin = "{}"u8.ToArray();

    private readonly Uri root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>Publishes a concert with a waiting room (a room open now, a sale in two hours); returns its id.</summary>
    public async Task<Guid> CreateDropAsync(string title, CancellationToken cancellationToken)
    {
        var saleOpensAt = DateTimeOffset.UtcNow.AddHours(2);
        var body = new
        {
            artist = "NOVA",
            title,
            venue = "Bench Arena",
            city = "Seoul",
            timeZone = "Asia/Seoul",
            startsAt = DateTimeOffset.UtcNow.AddDays(30),
            saleOpensAt,
            ticketLimitPerFan = 4,
            priceTiers = new[] { new { code = "R", name = "R seat", price = 154000m, currency = "KRW" } },
            sections = new[] { new { code = "A", tier = "R", rows = Enumerable.Range(1, 20).Select(i => new { label = i.ToString(), seats = 50 }).ToArray() } },
            waitingRoom = new { opensAt = DateTimeOffset.UtcNow.AddMinutes(-1), admissionsPerMinute = 1_000, maxActive = 2_000 },
        };
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(root, "api/catalog/concerts")) { Content = JsonContent.Create(body, options: Json) };
        create.Headers.Authorization = BenchTokens.Operator;
        using var created = await http.SendAsync(create, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating the drop answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetGuid();
        using var publish = new HttpRequestMessage(HttpMethod.Post, new Uri(root, $"api/catalog/concerts/{id}/publish"));
        publish.Headers.Authorization = BenchTokens.Operator;
        using var published = await http.SendAsync(publish, cancellationToken);
        published.EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Waits until the Queue knows the drop (it hears of it from the Catalog's ConcertPublished).</summary>
    public async Task WaitForDropAsync(Guid dropId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if ((await CountersAsync(dropId, cancellationToken)) is not null)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The Queue did not hear of drop {dropId} within {timeout.TotalSeconds:F0} s.");
    }

    public async Task<JsonElement?> CountersAsync(Guid dropId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, $"api/queue/{dropId}"));
        request.Headers.Authorization = BenchTokens.Operator;
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone() : null;
    }

    public async Task<QueueAnswer> JoinAsync(Guid dropId, string fanId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, $"api/queue/{dropId}/entries"))
        {
            Content = new ByteArrayContent(EmptyJoin) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Authorization = BenchTokens.Fan(fanId);
        return await SendAsync(request, cancellationToken);
    }

    public async Task<QueueAnswer> MineAsync(Guid dropId, string fanId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, $"api/queue/{dropId}/entries/mine"));
        request.Headers.Authorization = BenchTokens.Fan(fanId);
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>An anonymous GET (a ceiling: no token to check), counted 200 as success.</summary>
    public async Task<QueueAnswer> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, path));
        return await SendAsync(request, cancellationToken);
    }

    private async Task<QueueAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new QueueAnswer((int)response.StatusCode, response.IsSuccessStatusCode ? EntryIdOf(body) : Guid.Empty, elapsed);
        }
        catch (HttpRequestException)
        {
            return new QueueAnswer(0, Guid.Empty, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>The entryId of an answer, read without building a document.</summary>
    private static Guid EntryIdOf(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("entryId"u8) && reader.Read())
            {
                return reader.GetGuid();
            }
        }

        return Guid.Empty;
    }
}
