using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Inventory;

public sealed record SeatResponse(string SeatId, string Section, string Row, int Number, string Tier, decimal Price, string Currency, string Status);

public sealed record SeatMapResponse(Guid ConcertId, bool SalesStopped, DateTimeOffset SaleOpensAt, int TicketLimitPerFan, IReadOnlyList<SeatResponse> Seats);

public sealed record TierAvailability(string Tier, string Name, decimal Price, string Currency, int Capacity, int Available, int Held, int Sold);

public sealed record AvailabilityResponse(Guid ConcertId, DateTimeOffset SaleOpensAt, bool SalesStopped, int TicketLimitPerFan, int Capacity, int Available, IReadOnlyList<TierAvailability> Tiers);

public static class InventoryApi
{
    /// <summary>
    /// How stale the public seat map may be when another instance changed the seats: reads are answered from memory,
    /// and at most one read of the ledger's newer events per interval catches up with other instances.
    /// </summary>
    public static readonly TimeSpan SeatMapFreshness = TimeSpan.FromMilliseconds(500);

    public static RouteGroupBuilder MapInventory(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets/concerts").WithTags("Seats");
        group.MapGet("/{concertId:guid}/seats", GetSeatMap).WithName(nameof(GetSeatMap)).WithSummary("Every seat with its tier, price and status.");
        group.MapGet("/{concertId:guid}/availability", GetAvailability).WithName(nameof(GetAvailability)).WithSummary("Seats left per tier, cheap enough to poll.");
        return group;
    }

    public static async Task<Results<Ok<SeatMapResponse>, ProblemHttpResult>> GetSeatMap(Guid concertId, SeatLedgers ledgers, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(concertId, cancellationToken) is not { } ledger)
        {
            return NotFound(concertId);
        }

        var view = await ledger.ReadAsync(SeatMapFreshness, cancellationToken);
        var layout = view.Layout;
        return TypedResults.Ok(new SeatMapResponse(
            concertId,
            view.SalesStopped,
            view.SaleOpensAt,
            view.TicketLimitPerFan,
            layout.Seats.Select((seat, index) =>
            {
                var tier = layout.Tiers[seat.Tier];
                return new SeatResponse(seat.SeatId, seat.Section, seat.Row, seat.Number, seat.Tier, tier.Price, tier.Currency, StatusName(view.StatusOf(index)));
            }).ToList()));
    }

    public static async Task<Results<Ok<AvailabilityResponse>, ProblemHttpResult>> GetAvailability(Guid concertId, SeatLedgers ledgers, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(concertId, cancellationToken) is not { } ledger)
        {
            return NotFound(concertId);
        }

        var view = await ledger.ReadAsync(SeatMapFreshness, cancellationToken);
        var tiers = view.Layout.Tiers.Values
            .Select(tier => view.Tiers.TryGetValue(tier.Code, out var counts)
                ? new TierAvailability(tier.Code, tier.Name, tier.Price, tier.Currency, counts.Capacity, counts.Available, counts.Held, counts.Sold)
                : new TierAvailability(tier.Code, tier.Name, tier.Price, tier.Currency, 0, 0, 0, 0))
            .ToList();
        return TypedResults.Ok(new AvailabilityResponse(
            concertId, view.SaleOpensAt, view.SalesStopped, view.TicketLimitPerFan, view.Layout.Capacity, tiers.Sum(tier => tier.Available), tiers));
    }

    public static string StatusName(SeatStatus status) => status switch
    {
        SeatStatus.Available => "available",
        SeatStatus.Held => "held",
        _ => "sold",
    };

    public static ProblemHttpResult NotFound(Guid concertId) => TypedResults.Problem(
        title: "Concert not on sale here",
        detail: $"Concert {concertId} is unknown or not published yet.",
        statusCode: StatusCodes.Status404NotFound);
}
