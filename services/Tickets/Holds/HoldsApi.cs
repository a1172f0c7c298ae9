using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Ticketing.Contracts.Tickets;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Holds;

public sealed record HoldResponse(
    Guid HoldId,
    Guid ConcertId,
    IReadOnlyList<string> SeatIds,
    IReadOnlyList<HeldSeat> Seats,
    decimal Total,
    string Currency,
    HoldStatus Status,
    DateTimeOffset ExpiresAt)
{
    public static HoldResponse From(Hold hold) => new(
        hold.Id,
        hold.ConcertId,
        hold.Seats.Select(seat => seat.SeatId).ToList(),
        hold.Seats,
        hold.Seats.Sum(seat => seat.Price),
        hold.Seats.FirstOrDefault()?.Currency ?? "",
        hold.Status,
        hold.ExpiresAt);

    public static HoldResponse From(Guid concertId, PlacedHold hold) => new(
        hold.HoldId,
        concertId,
        hold.Seats.Select(seat => seat.SeatId).ToList(),
        hold.Seats,
        hold.Seats.Sum(seat => seat.Price),
        hold.Seats.FirstOrDefault()?.Currency ?? "",
        HoldStatus.Held,
        hold.ExpiresAt);
}

public static class HoldsApi
{
    public static RouteGroupBuilder MapHolds(this IEndpointRouteBuilder routes)
    {
        // Fans hold and release their own seats; an operator may also read anyone's hold.
        var group = routes.MapGroup("/api/tickets").WithTags("Holds").RequireAuthorization(Policies.FanOrOperator);
        group.MapPost("/concerts/{concertId:guid}/holds", PlaceHold).RequireAuthorization(Policies.Fan).WithName(nameof(PlaceHold))
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<HoldMetrics>().TimeAsync(context, next))
            .WithSummary("Hold specific seats, or the best available seats of a tier, for a few minutes.")
            .WithRequestHeader(AdmissionPasses.HeaderName, "The fan's admission pass, for a concert with a waiting room.", required: false)
            .Produces<HoldResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "The role is not fan, or reason admission_required: a drop with a waiting room and no valid admission pass of the caller's (missing, another fan's, expired or altered).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "reason seats_taken (with their seatIds), not_enough_seats (of the tier), sale_not_open (with opensAt), sales_stopped or withdrawn; nothing was held.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "reason over_limit: over the concert's ticket limit per fan (with limit and alreadyHeld).");
        group.MapGet("/concerts/{concertId:guid}/holds/mine", GetMyHolds).RequireAuthorization(Policies.Fan).NoStore().WithName(nameof(GetMyHolds))
            .WithSummary("The caller's holds on this concert that are still held or being paid for, newest first: what the fan holds on another device.")
            .Produces<IReadOnlyList<HoldResponse>>()
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.");
        group.MapGet("/holds/{holdId:guid}", GetHold).NoStore().WithName(nameof(GetHold)).WithSummary("One of the caller's holds, or any for an operator.")
            .Produces<HoldResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "reason hold_not_found: no such hold, or another fan's.");
        group.MapDelete("/holds/{holdId:guid}", ReleaseHold).RequireAuthorization(Policies.Fan).WithName(nameof(ReleaseHold)).WithSummary("Let held seats go.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "reason hold_not_found: no such hold, or another fan's.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "reason in_checkout: the hold is being paid for; cancelling the order releases it.");
        return group;
    }

    public static async Task<IResult> PlaceHold(
        Guid concertId,
        HoldRequest? request,
        HttpContext context,
        SeatLedgers ledgers,
        IOptions<HoldOptions> options,
        AdmissionPasses passes,
        HoldMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        if (await ledgers.GetAsync(concertId, cancellationToken) is not { } ledger)
        {
            metrics.Refused("not_found");
            return InventoryApi.NotFound(concertId);
        }

        // A drop with a waiting room: only fans the Queue let in (X-Admission-Pass) may hold seats.
        if (ledger.Inventory.HasWaitingRoom && passes.Refusal(context, fanId, concertId, time.GetUtcNow()) is { } refusal)
        {
            metrics.Refused("admission_required");
            return refusal;
        }

        var (selection, errors) = HoldValidation.Validate(request, ledger.View.Layout);
        if (selection is null)
        {
            metrics.Refused("invalid");
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await ledger.DecideAsync(new Ledger.PlaceHold(Guid.CreateVersion7(), fanId, selection, options.Value.Duration, cancellationToken), cancellationToken);
        metrics.Decided(outcome);
        if (outcome is HoldOutcome.Placed { Hold: var placed } && cancellationToken.IsCancellationRequested)
        {
            // The fan's request went away as the hold committed: nobody will hear of it, so it goes back at once.
            await ledger.DecideAsync(new Ledger.ReleaseHold(placed.HoldId, fanId, ReleaseReasons.Abandoned), CancellationToken.None);
        }

        return outcome switch
        {
            HoldOutcome.Placed placedHold => TypedResults.Created($"/api/tickets/holds/{placedHold.Hold.HoldId}", HoldResponse.From(concertId, placedHold.Hold)),
            HoldOutcome.SeatsTaken taken => Problem(StatusCodes.Status409Conflict, "Those seats were just taken",
                $"{string.Join(", ", taken.SeatIds)} {(taken.SeatIds.Count == 1 ? "is" : "are")} no longer available. Nothing was held; pick other seats.",
                new() { ["reason"] = HoldRefusalReasons.SeatsTaken, ["seatIds"] = taken.SeatIds }),
            HoldOutcome.NotEnoughSeats notEnough => Problem(StatusCodes.Status409Conflict, "Not enough seats left",
                $"Fewer than {notEnough.Quantity} seats of tier {notEnough.Tier} are available. Nothing was held.",
                new() { ["reason"] = HoldRefusalReasons.NotEnoughSeats, ["tier"] = notEnough.Tier, ["quantity"] = notEnough.Quantity }),
            HoldOutcome.OverLimit limit => Problem(StatusCodes.Status422UnprocessableEntity, "Over the ticket limit",
                $"You can hold at most {limit.Limit} tickets for this concert; you already have {limit.AlreadyHeld}.",
                new() { ["reason"] = HoldRefusalReasons.OverLimit, ["limit"] = limit.Limit, ["alreadyHeld"] = limit.AlreadyHeld }),
            HoldOutcome.NotOpenYet notOpen => Problem(StatusCodes.Status409Conflict, "Sales have not opened yet",
                $"Sales open at {notOpen.OpensAt:yyyy-MM-ddTHH:mm:ssZ}.", new() { ["reason"] = HoldRefusalReasons.SaleNotOpen, ["opensAt"] = notOpen.OpensAt }),
            HoldOutcome.SalesStopped => Problem(StatusCodes.Status409Conflict, "Sales have stopped", "This concert is no longer on sale.",
                new() { ["reason"] = HoldRefusalReasons.SalesStopped }),
            _ => Problem(StatusCodes.Status409Conflict, "Request withdrawn", "The request went away before it was decided; nothing was held.",
                new() { ["reason"] = HoldRefusalReasons.Withdrawn }),
        };
    }

    public static async Task<IResult> GetMyHolds(
        Guid concertId, HttpContext context, SeatLedgers ledgers, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        if (await ledgers.GetAsync(concertId, cancellationToken) is null)
        {
            return InventoryApi.NotFound(concertId);
        }

        // A held hold whose time ran out is no longer the fan's, even before the expiry runner has let its seats go.
        var now = time.GetUtcNow();
        var holds = await session.Query<Hold>()
            .Where(hold => hold.FanId == fanId && hold.ConcertId == concertId
                && ((hold.Status == HoldStatus.Held && hold.ExpiresAt > now) || hold.Status == HoldStatus.CheckedOut))
            .OrderByDescending(hold => hold.PlacedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(holds.Select(HoldResponse.From).ToList());
    }

    public static async Task<IResult> GetHold(Guid holdId, HttpContext context, IQuerySession session, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        var hold = holdId == Guid.Empty ? null : await session.LoadAsync<Hold>(holdId, cancellationToken);
        return hold is null || (hold.FanId != fanId && !FanIdentity.IsOperator(context)) ? HoldNotFound(holdId) : TypedResults.Ok(HoldResponse.From(hold));
    }

    public static async Task<IResult> ReleaseHold(Guid holdId, HttpContext context, SeatLedgers ledgers, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        // Marten refuses a stream id of all zeros; no hold has it.
        if (holdId == Guid.Empty || await ledgers.OfHoldAsync(holdId, cancellationToken) is not { } ledger)
        {
            return HoldNotFound(holdId);
        }

        return await ledger.DecideAsync(new Ledger.ReleaseHold(holdId, fanId, ReleaseReasons.Released), cancellationToken) switch
        {
            ReleaseOutcome.Released => TypedResults.NoContent(),
            ReleaseOutcome.InCheckout => Problem(StatusCodes.Status409Conflict, "The hold is being paid for",
                "Seats in checkout are released by cancelling the order.",
                new() { ["reason"] = HoldRefusalReasons.InCheckout }),
            _ => HoldNotFound(holdId),
        };
    }

    private static ProblemHttpResult HoldNotFound(Guid holdId) =>
        TypedResults.Problem(title: "Hold not found", detail: $"You have no hold {holdId}.", statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["reason"] = HoldRefusalReasons.HoldNotFound });

    private static ProblemHttpResult Problem(int status, string title, string detail, Dictionary<string, object?> extensions) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
}

/// <summary>
/// The <c>reason</c> codes of a refused hold request or release, so a client tells the cases apart (the fan app words each
/// in the fan's language). <c>sale_not_open</c>, not <c>not_open</c>: that one is the Queue's waiting room not open yet.
/// </summary>
public static class HoldRefusalReasons
{
    public const string SeatsTaken = "seats_taken";
    public const string NotEnoughSeats = "not_enough_seats";
    public const string OverLimit = "over_limit";
    public const string SaleNotOpen = "sale_not_open";
    public const string SalesStopped = "sales_stopped";
    public const string Withdrawn = "withdrawn";
    public const string InCheckout = "in_checkout";
    public const string HoldNotFound = "hold_not_found";
}
