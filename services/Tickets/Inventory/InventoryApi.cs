using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.Tickets.Ledger;
using Ticketing.Tickets.SeatState;

namespace Ticketing.Tickets.Inventory;

public sealed record SeatResponse(string SeatId, string Section, string Row, int Number, string Tier, decimal Price, string Currency, string Status);

public sealed record SeatMapResponse(Guid ConcertId, bool SalesStopped, DateTimeOffset SaleOpensAt, int TicketLimitPerFan, IReadOnlyList<SeatResponse> Seats);

public sealed record TierAvailability(string Tier, string Name, decimal Price, string Currency, int Capacity, int Available, int Held, int Sold);

public sealed record AvailabilityResponse(Guid ConcertId, DateTimeOffset SaleOpensAt, bool SalesStopped, int TicketLimitPerFan, int Capacity, int Available, IReadOnlyList<TierAvailability> Tiers);

/// <summary>
/// The public seat map (kept for clients of its first shape; new clients read the layout once and the seat state with
/// its stream, see <see cref="SeatStateApi"/>) and availability per tier. Both are built from the concert's current
/// seat state, so they are as fresh as it is (a quarter of a second) and cost no query of their own.
/// </summary>
public static class InventoryApi
{
    /// <summary>
    /// How stale the public seat state may be when another instance changed the seats: this instance's own changes are
    /// seen at once, and at most one read of the ledger's newer events per interval catches up with the others.
    /// </summary>
    public static readonly TimeSpan SeatMapFreshness = TimeSpan.FromMilliseconds(500);

    public static RouteGroupBuilder MapInventory(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets/concerts").WithTags("Seats");
        group.MapGet("/{concertId:guid}/seats", GetSeatMap).WithName(nameof(GetSeatMap)).WithSummary("Every seat with its tier, price and status (the first shape; see /layout and /seat-state).")
            .Produces<SeatMapResponse>().ProducesNotModified().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.");
        group.MapGet("/{concertId:guid}/availability", GetAvailability).WithName(nameof(GetAvailability)).WithSummary("Seats left per tier, cheap enough to poll.")
            .Produces<AvailabilityResponse>().ProducesNotModified().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.");
        return group;
    }

    public static async Task<IResult> GetSeatMap(Guid concertId, SeatLedgers ledgers, SeatStateFeed feed, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(concertId, cancellationToken) is not { } ledger || await feed.CurrentAsync(concertId, cancellationToken) is not { } state)
        {
            return NotFound(concertId);
        }

        var body = state.Derived(current => new SeatMapJson(JsonSerializer.SerializeToUtf8Bytes(SeatMap(ledger.Inventory, current), feed.Json))).Body;
        return new SerializedJson(body, state.EntityTag, CacheControl.Public(SeatStateApi.MaxAge));
    }

    public static async Task<IResult> GetAvailability(Guid concertId, SeatLedgers ledgers, SeatStateFeed feed, CancellationToken cancellationToken)
    {
        if (await ledgers.GetAsync(concertId, cancellationToken) is not { } ledger || await feed.CurrentAsync(concertId, cancellationToken) is not { } state)
        {
            return NotFound(concertId);
        }

        var tiers = state.Layout.Document.Tiers
            .Zip(state.TierCounts, (tier, count) => new TierAvailability(tier.Code, tier.Name, tier.Price, tier.Currency, count.Capacity, count.Available, count.Held, count.Sold))
            .ToList();
        var availability = new AvailabilityResponse(
            concertId, ledger.Inventory.SaleOpensAt, state.SalesStopped, ledger.Inventory.TicketLimitPerFan, state.Layout.Capacity, tiers.Sum(tier => tier.Available), tiers);
        return CacheableJson.Public(availability, SeatStateApi.MaxAge, state.EntityTag[3..^1]);
    }

    private static SeatMapResponse SeatMap(ConcertInventory inventory, SeatStateSnapshot state)
    {
        var tiers = state.Layout.Document.Tiers.ToDictionary(tier => tier.Code, StringComparer.Ordinal);
        var seats = new List<SeatResponse>(state.Layout.Capacity);
        foreach (var section in state.Layout.Document.Sections)
        {
            var tier = tiers[section.Tier];
            foreach (var row in section.Rows)
            {
                for (var number = 1; number <= row.Seats; number++)
                {
                    var status = state.Codes[seats.Count] switch
                    {
                        SeatCodes.Held => "held",
                        SeatCodes.Sold => "sold",
                        _ => "available",
                    };
                    seats.Add(new SeatResponse(Ledger.SeatLayout.SeatIdOf(section.Code, row.Label, number), section.Code, row.Label, number, tier.Code, tier.Price, tier.Currency, status));
                }
            }
        }

        return new SeatMapResponse(inventory.Id, state.SalesStopped, inventory.SaleOpensAt, inventory.TicketLimitPerFan, seats);
    }

    private sealed record SeatMapJson(byte[] Body);

    public static ProblemHttpResult NotFound(Guid concertId) => TypedResults.Problem(
        title: "Concert not on sale here",
        detail: $"Concert {concertId} is unknown or not published yet.",
        statusCode: StatusCodes.Status404NotFound);
}
