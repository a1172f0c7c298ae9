using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ticketing.Tickets.Inventory;

public sealed record SeatResponse(string SeatId, string Section, string Row, int Number, string Tier, decimal Price, string Currency, string Status);

public sealed record SeatMapResponse(Guid ConcertId, bool SalesStopped, IReadOnlyList<SeatResponse> Seats);

public sealed record TierAvailability(string Tier, string Name, decimal Price, string Currency, int Capacity, int Available, int Held, int Sold);

public sealed record AvailabilityResponse(Guid ConcertId, DateTimeOffset SaleOpensAt, bool SalesStopped, int TicketLimitPerFan, IReadOnlyList<TierAvailability> Tiers);

public static class InventoryApi
{
    public const string Available = "available";

    public static RouteGroupBuilder MapInventory(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets/concerts").WithTags("Seats");
        group.MapGet("/{concertId:guid}/seats", GetSeatMap).WithName(nameof(GetSeatMap)).WithSummary("Every seat with its tier, price and status.");
        group.MapGet("/{concertId:guid}/availability", GetAvailability).WithName(nameof(GetAvailability)).WithSummary("Seats left per tier, cheap enough to poll.");
        return group;
    }

    public static async Task<Results<Ok<SeatMapResponse>, ProblemHttpResult>> GetSeatMap(
        Guid concertId, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ConcertInventory>(concertId, cancellationToken) is not { } inventory)
        {
            return NotFound(concertId);
        }

        var tiers = inventory.Tiers.ToDictionary(tier => tier.Code);
        var seats = inventory.Seats()
            .Select(seat => new SeatResponse(
                seat.SeatId, seat.Section.Code, seat.Row.Label, seat.Number, seat.Section.Tier,
                tiers[seat.Section.Tier].Price, tiers[seat.Section.Tier].Currency, Available))
            .ToList();
        return TypedResults.Ok(new SeatMapResponse(concertId, inventory.SalesStopped, seats));
    }

    public static async Task<Results<Ok<AvailabilityResponse>, ProblemHttpResult>> GetAvailability(
        Guid concertId, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ConcertInventory>(concertId, cancellationToken) is not { } inventory)
        {
            return NotFound(concertId);
        }

        var tiers = inventory.Tiers
            .Select(tier =>
            {
                var capacity = inventory.Sections.Where(section => section.Tier == tier.Code).Sum(section => section.Rows.Sum(row => row.Seats));
                return new TierAvailability(tier.Code, tier.Name, tier.Price, tier.Currency, capacity, capacity, 0, 0);
            })
            .ToList();
        return TypedResults.Ok(new AvailabilityResponse(concertId, inventory.SaleOpensAt, inventory.SalesStopped, inventory.TicketLimitPerFan, tiers));
    }

    private static ProblemHttpResult NotFound(Guid concertId) => TypedResults.Problem(title: "Concert not on sale here", detail: $"Concert {concertId} is unknown or not published yet.", statusCode: StatusCodes.Status404NotFound);
}
