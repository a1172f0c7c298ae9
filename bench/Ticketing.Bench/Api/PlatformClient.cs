using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Api;

/// <summary>What became of a hold request, by its HTTP answer.</summary>
public enum HoldOutcome
{
    /// <summary>201: the seats are the fan's.</summary>
    Held,

    /// <summary>409 "Not enough seats left".</summary>
    NotEnoughSeats,

    /// <summary>Another 4xx.</summary>
    Refused,

    /// <summary>5xx.</summary>
    ServerError,

    /// <summary>No answer: connection failure or client timeout.</summary>
    TransportError,
}

public sealed record HoldAnswer(HoldOutcome Outcome, int Status, Guid HoldId, IReadOnlyList<string> SeatIds, string? Error = null);

/// <summary>An answer to POST /api/orders: 202 with the order id, or a status and the problem's text.</summary>
public sealed record PlaceAnswer(int Status, Guid OrderId, string? Error)
{
    public bool Accepted => Status == 202;
}

/// <summary>An order as GET /api/orders/{id} shows it to its fan.</summary>
public sealed record OrderState(int Status, string? OrderStatus, string? Reason);

/// <summary>A product as the Catalog shows it.</summary>
public sealed record ProductView(Guid Id, string Sku, int Stock, int Reserved, int Sold, int Available, int LimitPerFan)
{
    /// <summary>An album's versions (empty for a plain product).</summary>
    public IReadOnlyList<VariantView> Variants { get; init; } = [];

    /// <summary>The random-inclusion pool, or null.</summary>
    public InclusionView? Inclusion { get; init; }
}

public sealed record VariantView(string Code, int Stock, int Reserved, int Sold, int Available);

public sealed record InclusionView(string Name, int Left, IReadOnlyList<InclusionItemView> Items);

public sealed record InclusionItemView(string Code, int Count, int Left);

/// <summary>One tier of GET /api/tickets/concerts/{id}/availability.</summary>
public sealed record TierAvailability(string Tier, int Capacity, int Available, int Held, int Sold);

/// <summary>One section's seats in <c>GET …/seat-state</c>, one letter each (<c>a</c> available, <c>h</c> held, <c>s</c> sold).</summary>
public sealed record SectionSeats(string Code, string Seats);

/// <summary>A concert's public seat state: the <c>seat-state</c> answer, and the <c>snapshot</c> event of its stream.</summary>
public sealed record SeatStateView(Guid ConcertId, string LayoutVersion, long Version, bool SalesStopped, IReadOnlyList<SectionSeats> Sections);

/// <summary>
/// The platform's HTTP API through one gateway, as the operator (setting up concerts and products, reading
/// Insights) and as fans (each with its own token from <see cref="BenchTokens"/>) use it. One connection pool of
/// <c>connections</c>, opened by <see cref="WarmUpAsync"/> before a measured phase.
/// </summary>
public sealed partial class PlatformClient(Uri gateway, int connections) : IDisposable
{
    public const string TicketsRoute = "api/tickets";
    public const string ApprovingCard = "4242424242424242";
    private const string NotACard = "1234";
    private const string NotEnoughTitle = "Not enough seats left";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan InventoryTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PriceBookTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan InsightsTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The public seat map and availability are cached 500 ms: read this long after a hold, they show it.</summary>
    public static readonly TimeSpan SeatMapFreshness = TimeSpan.FromMilliseconds(600);

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        UseCookies = false,
    })
    {
        BaseAddress = gateway,
        Timeout = TimeSpan.FromMinutes(5),
    };

    public Uri Gateway => gateway;

    /// <summary>
    /// Drafts and publishes a concert of <paramref name="venue"/>, 4 tickets per fan: on sale now, or from
    /// <paramref name="saleOpensAt"/>, with <paramref name="waitingRoom"/> (the draft's <c>waitingRoom</c>) when given.
    /// </summary>
    public async Task<Guid> PublishConcertAsync(Venue venue, string title, CancellationToken cancellationToken, DateTimeOffset? saleOpensAt = null, object? waitingRoom = null)
    {
        using var created = await SendAsync(HttpMethod.Post, "api/catalog/concerts", BenchTokens.Operator,
            JsonContent.Create(venue.ConcertRequest(title, ticketLimitPerFan: 4, DateTimeOffset.UtcNow, saleOpensAt, waitingRoom), options: Json), cancellationToken);
        var concertId = (await ReadAsync(created, HttpStatusCode.Created, cancellationToken)).GetProperty("id").GetGuid();
        using var published = await SendAsync(HttpMethod.Post, $"api/catalog/concerts/{concertId}/publish", BenchTokens.Operator, null, cancellationToken);
        await ReadAsync(published, HttpStatusCode.OK, cancellationToken);
        return concertId;
    }

    /// <summary>Waits until Tickets has built the concert's inventory (its availability answers 200); how long that took.</summary>
    public Task<TimeSpan> WaitForInventoryAsync(Guid concertId, CancellationToken cancellationToken) =>
        PollAsync($"inventory of concert {concertId}", InventoryTimeout, async token =>
        {
            using var response = await http.GetAsync($"{TicketsRoute}/concerts/{concertId}/availability", token);
            return response.StatusCode == HttpStatusCode.OK;
        }, cancellationToken);

    public async Task<IReadOnlyList<TierAvailability>> AvailabilityAsync(Guid concertId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{TicketsRoute}/concerts/{concertId}/availability", cancellationToken);
        var root = await ReadAsync(response, HttpStatusCode.OK, cancellationToken);
        return root.GetProperty("tiers").Deserialize<List<TierAvailability>>(Json) ?? [];
    }

    /// <summary>Every seat of the public seat map with its status (<c>available</c>, <c>held</c>, <c>sold</c>).</summary>
    public async Task<IReadOnlyDictionary<string, string>> SeatMapAsync(Guid concertId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{TicketsRoute}/concerts/{concertId}/seats", cancellationToken);
        var root = await ReadAsync(response, HttpStatusCode.OK, cancellationToken);
        return root.GetProperty("seats").EnumerateArray().ToDictionary(
            seat => seat.GetProperty("seatId").GetString() ?? "", seat => seat.GetProperty("status").GetString() ?? "", StringComparer.Ordinal);
    }

    /// <summary>
    /// POST {route}/concerts/{id}/holds as <paramref name="fanId"/>: the best <paramref name="quantity"/> seats of a tier;
    /// with the fan's <paramref name="admissionPass"/> (<c>X-Admission-Pass</c>) for a drop with a waiting room.
    /// </summary>
    public Task<HoldAnswer> HoldBestAsync(string route, Guid concertId, string fanId, string tier, int quantity, CancellationToken cancellationToken, string? admissionPass = null) =>
        HoldAsync(route, concertId, fanId, $$"""{"tier":"{{tier}}","quantity":{{quantity}}}""", cancellationToken, admissionPass);

    /// <summary>POST /api/tickets/concerts/{id}/holds as <paramref name="fanId"/>: these seats (ids as <see cref="Venue.SeatId"/> makes them).</summary>
    public Task<HoldAnswer> HoldSeatsAsync(Guid concertId, string fanId, IReadOnlyList<string> seatIds, CancellationToken cancellationToken) =>
        HoldAsync(TicketsRoute, concertId, fanId, JsonSerializer.Serialize(new { seatIds }, Json), cancellationToken);

    /// <summary>The public seat state (<c>GET …/seat-state</c>): one letter per seat and section, and its version.</summary>
    public async Task<SeatStateView> SeatStateAsync(Guid concertId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{TicketsRoute}/concerts/{concertId}/seat-state", cancellationToken);
        return (await ReadAsync(response, HttpStatusCode.OK, cancellationToken)).Deserialize<SeatStateView>(Json)!;
    }

    /// <summary>DELETE /api/tickets/holds/{id} as its fan; the status answered (204 released).</summary>
    public async Task<int> ReleaseHoldAsync(Guid holdId, string fanId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"{TicketsRoute}/holds/{holdId}", BenchTokens.Fan(fanId), null, cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>Lists a product (SKU <c>BENCH-&lt;8 hex&gt;</c>) of <paramref name="stock"/> units, one per fan, on sale now.</summary>
    /// <remarks>
    /// With <paramref name="versions"/> above 0, an album: that many versions (A, B, …) sharing the stock, and a random
    /// photocard per unit from nine members' equal pools holding every unit's card.
    /// </remarks>
    public async Task<ProductView> CreateProductAsync(string name, int stock, CancellationToken cancellationToken, int versions = 0)
    {
        var sku = $"BENCH-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        object body = versions == 0
            ? new { sku, name, artist = "Bench", price = 45000, currency = "KRW", stock, limitPerFan = 1 }
            : new
            {
                sku, name, artist = "Bench", price = 45000, currency = "KRW", limitPerFan = 1,
                variants = Enumerable.Range(0, versions).Select(i => new
                {
                    code = VersionCode(i), sku = $"{sku}-{VersionCode(i)}", name = $"Version {VersionCode(i)}", stock = stock / versions + (i < stock % versions ? 1 : 0),
                }).ToArray(),
                inclusion = new
                {
                    name = "Photocard",
                    items = Enumerable.Range(1, 9).Select(member => new { code = $"M{member}", name = $"Member {member}", count = (stock + 8) / 9 }).ToArray(),
                },
            };
        using var response = await SendAsync(HttpMethod.Post, "api/catalog/products", BenchTokens.Operator, JsonContent.Create(body, options: Json), cancellationToken);
        return (await ReadAsync(response, HttpStatusCode.Created, cancellationToken)).Deserialize<ProductView>(Json)!;
    }

    public async Task<ProductView> ProductAsync(Guid productId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/catalog/products/{productId}", cancellationToken);
        return (await ReadAsync(response, HttpStatusCode.OK, cancellationToken)).Deserialize<ProductView>(Json)!;
    }

    /// <summary>
    /// Waits until Orders' price book knows the product, asking with a checkout whose card number is not one: it is
    /// refused 400 either way, naming the product only while it is unknown, so nothing is placed.
    /// </summary>
    public Task<TimeSpan> WaitForPriceBookAsync(Guid productId, CancellationToken cancellationToken) =>
        PollAsync($"product {productId} in Orders' price book", PriceBookTimeout, async token =>
        {
            using var response = await SendAsync(HttpMethod.Post, "api/orders", BenchTokens.Fan("bench-probe"), Checkout(null, productId, NotACard), token,
                Guid.NewGuid().ToString("N"));
            var errors = (await ReadAsync(response, HttpStatusCode.BadRequest, token)).GetProperty("errors");
            return !errors.TryGetProperty("items[0].productId", out _);
        }, cancellationToken);

    /// <summary>POST /api/orders as <paramref name="fanId"/> with a new Idempotency-Key: a seat hold, a product (1 unit), or both.</summary>
    public async Task<PlaceAnswer> CheckoutAsync(string fanId, Guid? holdId, Guid? productId, CancellationToken cancellationToken, string? variant = null)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, "api/orders", BenchTokens.Fan(fanId), Checkout(holdId, productId, ApprovingCard, variant), cancellationToken,
                Guid.NewGuid().ToString("N"));
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return new PlaceAnswer((int)response.StatusCode, Guid.Empty, Truncate(text));
            }

            using var document = JsonDocument.Parse(text);
            return new PlaceAnswer(202, document.RootElement.GetProperty("orderId").GetGuid(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new PlaceAnswer(0, Guid.Empty, exception.GetType().Name + ": " + exception.Message);
        }
    }

    public async Task<OrderState> OrderAsync(Guid orderId, string fanId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/orders/{orderId}", BenchTokens.Fan(fanId), null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new OrderState((int)response.StatusCode, null, null);
        }

        var root = await ReadAsync(response, HttpStatusCode.OK, cancellationToken);
        return new OrderState(200, root.GetProperty("status").GetString(), root.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
    }

    /// <summary>
    /// Waits until Insights shows at least <paramref name="sold"/> seats (<c>concerts</c>) or units (<c>products</c>)
    /// sold; false when it does not within two minutes.
    /// </summary>
    public async Task<bool> WaitForInsightsAsync(string kind, Guid id, int sold, CancellationToken cancellationToken)
    {
        try
        {
            await PollAsync("sale in Insights", InsightsTimeout, async token => await InsightsSoldAsync(kind, id, token) >= sold, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>How many seats (<c>concerts</c>) or units (<c>products</c>) Insights shows sold; null before it knows the sale.</summary>
    private async Task<int?> InsightsSoldAsync(string kind, Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/insights/{kind}/{id}", BenchTokens.Operator, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var root = await ReadAsync(response, HttpStatusCode.OK, cancellationToken);
        return root.GetProperty(kind == "concerts" ? "concert" : "product").GetProperty("sold").GetInt32();
    }

    /// <summary>Reads of a hold that does not exist (404) as a fan, all at once: opens the connections and warms both ends.</summary>
    public Task WarmUpAsync(int requests, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
        {
            using var response = await SendAsync(HttpMethod.Get, $"{TicketsRoute}/holds/{Guid.NewGuid()}", BenchTokens.Fan("bench-warm-up"), null, cancellationToken);
        }));

    /// <summary>Polls <paramref name="done"/> until it is true; how long that took. Throws <see cref="TimeoutException"/>.</summary>
    public static async Task<TimeSpan> PollAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> done, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!await done(cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for the {what}.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, AuthenticationHeaderValue? token, HttpContent? content, CancellationToken cancellationToken, string? idempotencyKey = null,
        string? admissionPass = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = token;
        if (admissionPass is not null)
        {
            request.Headers.Add(AdmissionPassHeader, admissionPass);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    private async Task<HoldAnswer> HoldAsync(string route, Guid concertId, string fanId, string body, CancellationToken cancellationToken, string? admissionPass = null)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, $"{route}/concerts/{concertId}/holds", BenchTokens.Fan(fanId),
                new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken, admissionPass: admissionPass);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (status == 201)
            {
                using var held = JsonDocument.Parse(text);
                return new HoldAnswer(HoldOutcome.Held, status, held.RootElement.GetProperty("holdId").GetGuid(),
                    held.RootElement.GetProperty("seatIds").EnumerateArray().Select(seat => seat.GetString() ?? "").ToList());
            }

            var outcome = status switch
            {
                409 when text.Contains(NotEnoughTitle, StringComparison.Ordinal) => HoldOutcome.NotEnoughSeats,
                >= 500 => HoldOutcome.ServerError,
                _ => HoldOutcome.Refused,
            };
            return new HoldAnswer(outcome, status, Guid.Empty, [], outcome == HoldOutcome.NotEnoughSeats ? null : Truncate(text));
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HoldAnswer(HoldOutcome.TransportError, 0, Guid.Empty, [], exception.GetType().Name + ": " + exception.Message);
        }
    }

    /// <summary>The code of an album's version <paramref name="index"/>: A, B, C, …</summary>
    public static string VersionCode(int index) => ((char)('A' + index)).ToString();

    private static StringContent Checkout(Guid? holdId, Guid? productId, string cardNumber, string? variant = null) => new(
        JsonSerializer.Serialize(new
        {
            holdId,
            items = productId is { } id ? new[] { new { productId = id, quantity = 1, variant } } : null,
            payment = new { cardNumber },
        }, Json),
        Encoding.UTF8,
        "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)expected}: {Truncate(text)}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
