using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.ServiceDefaults.Caching;
using Ticketing.Tickets.Seats;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Inventory;

public sealed record SeatResponse(string SeatId, string Section, string Row, int Number, string Tier, decimal Price, string Currency, string Status);

public sealed record SeatMapResponse(Guid ConcertId, bool SalesStopped, DateTimeOffset SaleOpensAt, int TicketLimitPerFan, IReadOnlyList<SeatResponse> Seats);

public sealed record TierAvailability(string Tier, string Name, decimal Price, string Currency, int Capacity, int Available, int Held, int Sold);

public sealed record AvailabilityResponse(Guid ConcertId, DateTimeOffset SaleOpensAt, bool SalesStopped, int TicketLimitPerFan, int Capacity, int Available, IReadOnlyList<TierAvailability> Tiers);

/// <summary>One seat as the public map shows it.</summary>
public sealed record MapSeat(string SeatId, string Section, string Row, int Number, string Tier, decimal Price, string Currency, SeatStatus Status);

public static class InventoryApi
{
    /// <summary>How stale the public seat map may be: thousands of fans polling cost one query a second.</summary>
    private static readonly TimeSpan SeatMapFreshness = TimeSpan.FromMilliseconds(500);

    public static RouteGroupBuilder MapInventory(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets/concerts").WithTags("Seats");
        group.MapGet("/{concertId:guid}/seats", GetSeatMap).WithName(nameof(GetSeatMap)).WithSummary("Every seat with its tier, price and status.");
        group.MapGet("/{concertId:guid}/availability", GetAvailability).WithName(nameof(GetAvailability)).WithSummary("Seats left per tier, cheap enough to poll.");
        return group;
    }

    public static async Task<Results<Ok<SeatMapResponse>, ProblemHttpResult>> GetSeatMap(
        Guid concertId, ConcertInventories inventories, IDocumentStore store, IMemoryCache cache, CancellationToken cancellationToken)
    {
        if (await inventories.GetAsync(concertId, cancellationToken) is not { } view)
        {
            return NotFound(concertId);
        }

        var seats = await SeatsAsync(concertId, store, cache, cancellationToken);
        return TypedResults.Ok(new SeatMapResponse(
            concertId,
            view.SalesStopped,
            view.SaleOpensAt,
            view.TicketLimitPerFan,
            seats.Select(seat => new SeatResponse(
                seat.SeatId, seat.Section, seat.Row, seat.Number, seat.Tier, seat.Price, seat.Currency, seat.Status.ToString().ToLowerInvariant())).ToList()));
    }

    public static async Task<Results<Ok<AvailabilityResponse>, ProblemHttpResult>> GetAvailability(
        Guid concertId, ConcertInventories inventories, IDocumentStore store, IMemoryCache cache, CancellationToken cancellationToken)
    {
        if (await inventories.GetAsync(concertId, cancellationToken) is not { } view)
        {
            return NotFound(concertId);
        }

        var seats = await SeatsAsync(concertId, store, cache, cancellationToken);
        var tiers = view.Inventory.Tiers
            .Select(tier =>
            {
                var ofTier = seats.Where(seat => seat.Tier == tier.Code).ToList();
                return new TierAvailability(tier.Code, tier.Name, tier.Price, tier.Currency, ofTier.Count,
                    ofTier.Count(seat => seat.Status == SeatStatus.Available),
                    ofTier.Count(seat => seat.Status == SeatStatus.Held),
                    ofTier.Count(seat => seat.Status == SeatStatus.Sold));
            })
            .ToList();
        return TypedResults.Ok(new AvailabilityResponse(
            concertId, view.SaleOpensAt, view.SalesStopped, view.TicketLimitPerFan, seats.Count, tiers.Sum(tier => tier.Available), tiers));
    }

    private static Task<IReadOnlyList<MapSeat>> SeatsAsync(Guid concertId, IDocumentStore store, IMemoryCache cache, CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync<IReadOnlyList<MapSeat>>(("seats", concertId), SeatMapFreshness, async token =>
        {
            await using var session = store.QuerySession();
            var rows = await session.Query<SeatRow>().Where(row => row.ConcertId == concertId).ToListAsync(token);
            return rows.OrderBy(row => row.SectionIndex).ThenBy(row => row.RowIndex)
                .SelectMany(row => row.Seats.Select(seat => new MapSeat(seat.SeatId, row.Section, row.Row, seat.Number, row.Tier, row.Price, row.Currency, seat.Status)))
                .ToList();
        }, cancellationToken);

    public static ProblemHttpResult NotFound(Guid concertId) => TypedResults.Problem(
        title: "Concert not on sale here",
        detail: $"Concert {concertId} is unknown or not published yet.",
        statusCode: StatusCodes.Status404NotFound);
}
