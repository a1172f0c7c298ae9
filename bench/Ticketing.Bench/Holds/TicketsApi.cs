using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Holds;

/// <summary>What became of one hold request, by its HTTP answer.</summary>
public enum HoldOutcome
{
    /// <summary>201: the seats are the fan's.</summary>
    Held,

    /// <summary>409 "Those seats were just taken" (specific seats).</summary>
    SeatsTaken,

    /// <summary>409 "Not enough seats left" (best available).</summary>
    NotEnoughSeats,

    /// <summary>Another 409 (sales not open, stopped).</summary>
    OtherConflict,

    /// <summary>422: over the per-fan limit.</summary>
    OverLimit,

    /// <summary>429: throttled.</summary>
    Throttled,

    /// <summary>5xx.</summary>
    ServerError,

    /// <summary>Any other status.</summary>
    OtherStatus,

    /// <summary>No answer: connection failure or client timeout.</summary>
    TransportError,
}

/// <summary>An answer to a hold request: its outcome, status and, for 201 and 409 "taken", the seats it names.</summary>
public sealed record HoldAnswer(HoldOutcome Outcome, int Status, Guid HoldId, IReadOnlyList<string> SeatIds, string? Error = null);

/// <summary>A seat map as read from GET /api/tickets/concerts/{id}/seats, by venue seat index.</summary>
public sealed class SeatMapView(byte[] status, int unknownSeats, int heldOrSold)
{
    public const byte Available = 0;
    public const byte Held = 1;
    public const byte Sold = 2;
    public const byte Missing = 3;

    /// <summary>Status per venue seat index (<see cref="Missing"/> when the map does not list the seat).</summary>
    public byte[] Status { get; } = status;

    /// <summary>Seats in the map that the venue does not know.</summary>
    public int UnknownSeats { get; } = unknownSeats;

    public int HeldOrSold { get; } = heldOrSold;

    public int Count(byte wanted) => Status.Count(status => status == wanted);
}

/// <summary>
/// The HTTP calls of the holds benchmark: setting up a concert through the Catalog (always via the gateway),
/// and the Tickets calls against one base address (the gateway, or the Tickets service directly).
/// </summary>
public sealed class TicketsApi(HttpClient http, Uri baseAddress) : IDisposable
{
    private const string SeatsTakenTitle = "Those seats were just taken";
    private const string NotEnoughTitle = "Not enough seats left";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Uri root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    public Uri BaseAddress => root;

    /// <summary>
    /// Long enough that an overloaded open loop (arrivals queued in the client for want of a connection) does not
    /// abandon requests the server may still carry out.
    /// </summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>An HttpClient able to keep <paramref name="connections"/> connections open to one server.</summary>
    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    {
        Timeout = RequestTimeout,
    };

    /// <summary>Drafts and publishes a concert through the Catalog; returns its id and when publishing was answered.</summary>
    public async Task<(Guid ConcertId, long PublishedAt)> CreateConcertAsync(Venue venue, string title, CancellationToken cancellationToken)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(root, "api/catalog/concerts"))
        {
            Content = JsonContent.Create(venue.ConcertRequest(title, ticketLimitPerFan: 4, DateTimeOffset.UtcNow), options: Json),
        };
        create.Headers.Authorization = BenchTokens.Operator;
        using var created = await http.SendAsync(create, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"Creating the concert answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var document = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken));
        var concertId = document.RootElement.GetProperty("id").GetGuid();
        using var publish = new HttpRequestMessage(HttpMethod.Post, new Uri(root, $"api/catalog/concerts/{concertId}/publish"));
        publish.Headers.Authorization = BenchTokens.Operator;
        using var published = await http.SendAsync(publish, cancellationToken);
        if (published.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"Publishing concert {concertId} answered {(int)published.StatusCode}: {await published.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (concertId, Stopwatch.GetTimestamp());
    }

    /// <summary>Polls the availability until it answers 200 (the inventory is built); the time it took.</summary>
    public async Task<TimeSpan> WaitForInventoryAsync(Guid concertId, long since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var uri = new Uri(root, $"api/tickets/concerts/{concertId}/availability");
        while (Stopwatch.GetElapsedTime(since) < timeout)
        {
            using (var response = await http.GetAsync(uri, cancellationToken))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(since);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new TimeoutException($"The inventory of concert {concertId} was not built within {timeout.TotalSeconds:F0} s.");
    }

    /// <summary>
    /// A read of a hold that does not exist (404, one primary-key lookup): opens a connection and warms both ends.
    /// Not the availability: its 500 ms cache is filled by every request that misses it at once.
    /// </summary>
    public async Task TouchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, $"api/tickets/holds/{Guid.NewGuid()}"));
        request.Headers.Authorization = BenchTokens.Fan("bench-warm-up");
        using var response = await http.SendAsync(request, cancellationToken);
    }

    public async Task<SeatMapView> SeatMapAsync(Venue venue, Guid concertId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(root, $"api/tickets/concerts/{concertId}/seats"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var status = new byte[venue.Capacity];
        Array.Fill(status, SeatMapView.Missing);
        var unknown = 0;
        var heldOrSold = 0;
        foreach (var seat in document.RootElement.GetProperty("seats").EnumerateArray())
        {
            if (!venue.TryIndexOf(seat.GetProperty("seatId").GetString() ?? "", out var index))
            {
                unknown++;
                continue;
            }

            status[index] = seat.GetProperty("status").GetString() switch
            {
                "available" => SeatMapView.Available,
                "held" => SeatMapView.Held,
                "sold" => SeatMapView.Sold,
                _ => SeatMapView.Missing,
            };
            heldOrSold += status[index] is SeatMapView.Held or SeatMapView.Sold ? 1 : 0;
        }

        return new SeatMapView(status, unknown, heldOrSold);
    }

    /// <summary>POST /holds as <paramref name="fanId"/>: specific seats, or <c>quantity</c> best seats of a tier.</summary>
    public async Task<HoldAnswer> PlaceHoldAsync(
        Guid concertId, string fanId, IReadOnlyList<string>? seatIds, string? tier, int quantity, CancellationToken cancellationToken)
    {
        var body = seatIds is not null
            ? $$"""{"seatIds":[{{string.Join(',', seatIds.Select(id => $"\"{id}\""))}}]}"""
            : $$"""{"tier":"{{tier}}","quantity":{{quantity}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, $"api/tickets/concerts/{concertId}/holds"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = BenchTokens.Fan(fanId);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return status switch
            {
                201 => Held(text, status),
                409 => Conflict(text, status),
                422 => new HoldAnswer(HoldOutcome.OverLimit, status, Guid.Empty, []),
                429 => new HoldAnswer(HoldOutcome.Throttled, status, Guid.Empty, []),
                >= 500 => new HoldAnswer(HoldOutcome.ServerError, status, Guid.Empty, [], Truncate(text)),
                _ => new HoldAnswer(HoldOutcome.OtherStatus, status, Guid.Empty, [], Truncate(text)),
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HoldAnswer(HoldOutcome.TransportError, 0, Guid.Empty, [], exception.GetType().Name + ": " + exception.Message);
        }
    }

    /// <summary>DELETE /holds/{id} as its fan; true when answered 204.</summary>
    public async Task<bool> ReleaseHoldAsync(Guid holdId, string fanId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(root, $"api/tickets/holds/{holdId}"));
        request.Headers.Authorization = BenchTokens.Fan(fanId);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent;
    }

    public void Dispose() => http.Dispose();

    private static HoldAnswer Held(string text, int status)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        return new HoldAnswer(HoldOutcome.Held, status, root.GetProperty("holdId").GetGuid(), SeatIdsOf(root));
    }

    private static HoldAnswer Conflict(string text, int status)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var title = root.TryGetProperty("title", out var value) ? value.GetString() : null;
        return title switch
        {
            SeatsTakenTitle => new HoldAnswer(HoldOutcome.SeatsTaken, status, Guid.Empty, SeatIdsOf(root)),
            NotEnoughTitle => new HoldAnswer(HoldOutcome.NotEnoughSeats, status, Guid.Empty, []),
            _ => new HoldAnswer(HoldOutcome.OtherConflict, status, Guid.Empty, [], title),
        };
    }

    private static List<string> SeatIdsOf(JsonElement root) =>
        root.TryGetProperty("seatIds", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(id => id.GetString() ?? "").ToList()
            : [];

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
