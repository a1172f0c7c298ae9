using System.Net;
using System.Text;
using System.Text.Json;

using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.MerchDrop;

/// <summary>An answer to POST /api/orders: 202 with the order id, or a status and the problem's text.</summary>
public sealed record PlaceAnswer(int Status, Guid OrderId, string? Error);

/// <summary>An order as GET /api/orders/{id} shows it to its fan.</summary>
public sealed record OrderState(int Status, string? OrderStatus, string? Reason);

/// <summary>The Orders calls of the merch drop, through the gateway, as the fan (<c>a fan token</c>).</summary>
public sealed class CheckoutApi(Uri gateway, int connections) : IDisposable
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ApprovingCard = "4242424242424242";

    private const string NotACard = "1234";

    private readonly Uri orders = new(gateway, "api/orders");

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        UseCookies = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<PlaceAnswer> PlaceAsync(string fanId, string idempotencyKey, Guid productId, string cardNumber, CancellationToken cancellationToken)
    {
        using var request = Checkout(fanId, idempotencyKey, productId, cardNumber);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return new PlaceAnswer((int)response.StatusCode, Guid.Empty, text.Length <= 300 ? text : text[..300]);
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

    /// <summary>
    /// Whether Orders' price book knows the product yet, asked without placing an order: a checkout with a card
    /// number that is not one is refused 400 either way, and names the product only while it is unknown.
    /// </summary>
    public async Task<bool> PriceBookKnowsAsync(Guid productId, CancellationToken cancellationToken)
    {
        using var request = Checkout($"bench-probe-{Guid.NewGuid():N}", Guid.NewGuid().ToString("N"), productId, NotACard);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            throw new InvalidOperationException($"A checkout with card number {NotACard} answered {(int)response.StatusCode}, not 400: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return !(document.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty("items[0].productId", out _));
    }

    public async Task<OrderState> GetAsync(Guid orderId, string fanId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(orders, $"orders/{orderId}"));
        request.Headers.Authorization = BenchTokens.Fan(fanId);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new OrderState((int)response.StatusCode, null, null);
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        return new OrderState(200, root.GetProperty("status").GetString(), root.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
    }

    /// <summary>A read of an order that does not exist (404): opens a connection and warms both ends, places nothing.</summary>
    public async Task TouchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(orders, $"orders/{Guid.NewGuid()}"));
        request.Headers.Authorization = BenchTokens.Fan("bench-warm-up");
        using var response = await http.SendAsync(request, cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private HttpRequestMessage Checkout(string fanId, string idempotencyKey, Guid productId, string cardNumber)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, orders)
        {
            Content = new StringContent(
                $$$"""{"items":[{"productId":"{{{productId}}}","quantity":1}],"payment":{"cardNumber":"{{{cardNumber}}}"}}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = BenchTokens.Fan(fanId);
        request.Headers.Add(IdempotencyHeader, idempotencyKey);
        return request;
    }
}
