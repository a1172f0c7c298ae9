using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ticketing.Orders.Orders;

/// <summary>An order as its fan sees it. Checkout and the saga that fills this in arrive with the Orders issue.</summary>
public sealed record OrderSummary(Guid Id, string FanId, string Status, string? Reason, decimal Total, string Currency, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class OrdersApi
{
    public static RouteGroupBuilder MapOrders(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/orders").WithTags("Orders");
        group.MapGet("/{id:guid}", GetOrder).WithName(nameof(GetOrder)).WithSummary("An order with its status.");
        return group;
    }

    public static async Task<Results<Ok<OrderSummary>, ProblemHttpResult>> GetOrder(
        Guid id, IQuerySession session, CancellationToken cancellationToken)
    {
        var order = await session.LoadAsync<OrderSummary>(id, cancellationToken);
        return order is null
            ? TypedResults.Problem(title: "Order not found", detail: $"There is no order {id}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(order);
    }
}
