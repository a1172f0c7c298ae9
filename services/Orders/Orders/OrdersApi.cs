using Marten;
using Marten.Pagination;
using Microsoft.Extensions.Options;
using Ticketing.Orders.Checkout;
using Ticketing.Orders.Payments;
using Ticketing.Orders.Products;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Orders.Orders;

public sealed record OrderAccepted(Guid OrderId, OrderStatus Status);

public sealed record OrderResponse(
    Guid OrderId,
    OrderStatus Status,
    string? Reason,
    Guid? HoldId,
    IReadOnlyList<OrderLine> Lines,
    decimal Total,
    string Currency,
    string CardLast4,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The random items that came with the order's units (a photocard per album), once drawn when it was confirmed.</summary>
    public IReadOnlyList<OrderInclusion> Inclusions { get; init; } = [];

    public static OrderResponse From(Order order) => new(
        order.Id, order.Status, order.Reason, order.HoldId, order.Lines, order.Total, order.Currency, order.CardLast4, order.CreatedAt, order.UpdatedAt)
    {
        Inclusions = order.Inclusions,
    };
}

public sealed record OrdersPage(IReadOnlyList<OrderResponse> Items, int Page, int PageSize, long TotalCount);

public static class OrdersApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// An Idempotency-Key is 1 to 200 visible ASCII characters (<c>!</c> to <c>~</c>): a UUID or any token a client
    /// makes, the same bytes in every header encoding, and nothing a log line or a database key cannot hold.
    /// </summary>
    public static bool IsIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is >= '!' and <= '~');

    /// <summary>The last page of a fan's orders one may ask for; the row offset stays far from overflowing.</summary>
    public const int MaxPage = 10_000;

    public static RouteGroupBuilder MapOrders(this IEndpointRouteBuilder routes)
    {
        // Signed in as a fan (their own orders) or an operator (anyone's); each route narrows it further.
        var group = routes.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Policies.FanOrOperator);
        group.MapPost("/", PlaceOrder).RequireAuthorization(Policies.Fan).WithName(nameof(PlaceOrder))
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<CheckoutMetrics>().TimeAsync(context, next)).WithSummary("Check out a seat hold, merch, or both.")
            .WithRequestHeader(IdempotencyHeader, "1 to 200 visible ASCII characters (a UUID does): the same key answers with the same order.", required: true)
            .WithRequestHeader(AdmissionPasses.HeaderName, "The fan's admission pass, for merch of a drop with a waiting room.", required: false)
            .Produces<OrderAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "The role is not fan, or reason admission_required: a drop with a waiting room and no valid admission pass of the caller's (missing, another fan's, expired or altered).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for a different checkout.");
        group.MapGet("/mine", MyOrders).RequireAuthorization(Policies.Fan).NoStore().WithName(nameof(MyOrders)).WithSummary("The caller's orders, newest first.")
            .Produces<OrdersPage>().ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetOrder).NoStore().WithName(nameof(GetOrder)).WithSummary("An order with its status: the caller's own, or any for an operator.")
            .Produces<OrderResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such order, or another fan's.");
        group.MapPost("/{id:guid}/cancel", CancelOrder).RequireAuthorization(Policies.Operator).WithName(nameof(CancelOrder)).WithSummary("Cancel an order; a confirmed one is refunded.")
            .Produces<OrderResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such order.");
        return group;
    }

    public static async Task<IResult> PlaceOrder(
        CheckoutRequest? request,
        HttpContext context,
        ISessionFactory sessions,
        OrderPlacements placements,
        PriceBook priceBook,
        IPaymentProcessor payments,
        IOptions<CheckoutOptions> options,
        AdmissionPasses passes,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        var key = context.Request.Headers[IdempotencyHeader].ToString();
        if (!IsIdempotencyKey(key))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyHeader] = [$"Send a unique Idempotency-Key header with each checkout: 1 to {MaxIdempotencyKeyLength} visible ASCII characters (letters, digits and punctuation such as - _ . : /; no spaces), e.g. a UUID."],
            });
        }

        var productIds = request?.Items?.Select(item => item?.ProductId).OfType<Guid>().Distinct().ToList() ?? [];
        var products = await priceBook.FindAsync(productIds, cancellationToken);
        var (checkout, errors) = CheckoutValidation.Validate(request, products);
        if (checkout is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Merch drops with a waiting room: only fans the Queue let in (X-Admission-Pass, one per drop) may check them out.
        foreach (var item in checkout.Items)
        {
            if ((products[item.ProductId].HasWaitingRoom || products[item.ProductId].HasLuckyDraw) && passes.Refusal(context, fanId, item.ProductId, time.GetUtcNow()) is { } refusal)
            {
                return refusal;
            }
        }

        // The key is claimed by inserting it with the order, not looked up first: a repeat (or a twin racing this
        // request) fails the insert, and is then answered with the order the key already names.
        var keyId = CheckoutKey.IdFor(fanId, key);
        var now = time.GetUtcNow();
        var placed = new OrderPlaced(
            Guid.CreateVersion7(),
            fanId,
            checkout.HoldId,
            checkout.Items,
            await payments.TokenizeAsync(checkout.CardNumber, cancellationToken),
            checkout.CardLast4,
            now,
            now + options.Value.Timeout);
        try
        {
            await placements.PlaceAsync(placed, new CheckoutKey(keyId, placed.OrderId, checkout.Fingerprint()), cancellationToken);
        }
        catch (Exception exception) when (Conflicts.IsConcurrencyConflict(exception))
        {
            await using var again = sessions.QuerySession();
            return await RepeatAsync((await again.LoadAsync<CheckoutKey>(keyId, cancellationToken))!, checkout, again, cancellationToken);
        }

        return Accepted(placed.OrderId, OrderStatus.Pending);
    }

    public static async Task<IResult> GetOrder(Guid id, HttpContext context, IQuerySession session, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        var order = id == Guid.Empty ? null : await session.LoadAsync<Order>(id, cancellationToken);
        return order is null || (order.FanId != fanId && !FanIdentity.IsOperator(context)) ? OrderNotFound(id) : TypedResults.Ok(OrderResponse.From(order));
    }

    public static async Task<IResult> MyOrders(HttpContext context, IQuerySession session, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"Pages go from 1 to {MaxPage:N0}."];
        }

        if (pageSize is < 1 or > 100)
        {
            errors["pageSize"] = ["Must be between 1 and 100."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var orders = await session.Query<Order>()
            .Where(order => order.FanId == fanId)
            .OrderByDescending(order => order.CreatedAt)
            .ToPagedListAsync(page ?? 1, pageSize ?? 20, cancellationToken);
        return TypedResults.Ok(new OrdersPage(orders.Select(OrderResponse.From).ToList(), page ?? 1, pageSize ?? 20, orders.TotalItemCount));
    }

    public static async Task<IResult> CancelOrder(Guid id, CheckoutProcess checkout, CancellationToken cancellationToken)
    {
        // Marten refuses a stream id of all zeros; no order has it.
        if (id == Guid.Empty)
        {
            return OrderNotFound(id);
        }

        var order = await checkout.AdvanceAsync(new CheckoutStep(id, CheckoutRules.CancelByOperator), cancellationToken);
        return order is null ? OrderNotFound(id) : TypedResults.Ok(OrderResponse.From(order));
    }

    private static async Task<IResult> RepeatAsync(CheckoutKey existing, ValidCheckout checkout, IQuerySession session, CancellationToken cancellationToken)
    {
        if (existing.Fingerprint != checkout.Fingerprint())
        {
            return TypedResults.Problem(
                title: "Idempotency-Key already used",
                detail: "This key was used for a different checkout. Use a new key for a new order.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var order = await session.LoadAsync<Order>(existing.OrderId, cancellationToken);
        return Accepted(existing.OrderId, order?.Status ?? OrderStatus.Pending);
    }

    private static IResult Accepted(Guid orderId, OrderStatus status) =>
        TypedResults.Accepted($"/api/orders/{orderId}", new OrderAccepted(orderId, status));

    private static IResult OrderNotFound(Guid id) =>
        TypedResults.Problem(title: "Order not found", detail: $"You have no order {id}.", statusCode: StatusCodes.Status404NotFound);
}
