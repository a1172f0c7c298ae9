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
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "Seats just taken (with their seatIds), not enough seats of the tier, sales not open yet (with opensAt) or stopped; nothing was held.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "Over the concert's ticket limit per fan (with limit and alreadyHeld).");
        group.MapGet("/holds/{holdId:guid}", GetHold).NoStore().WithName(nameof(GetHold)).WithSummary("One of the caller's holds, or any for an operator.")
            .Produces<HoldResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such hold, or another fan's.");
        group.MapDelete("/holds/{holdId:guid}", ReleaseHold).RequireAuthorization(Policies.Fan).WithName(nameof(ReleaseHold)).WithSummary("Let held seats go.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such hold, or another fan's.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The hold is being paid for: cancelling the order releases it.");
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
                new() { ["seatIds"] = taken.SeatIds }),
            HoldOutcome.NotEnoughSeats notEnough => Problem(StatusCodes.Status409Conflict, "Not enough seats left",
                $"Fewer than {notEnough.Quantity} seats of tier {notEnough.Tier} are available. Nothing was held.", []),
            HoldOutcome.OverLimit limit => Problem(StatusCodes.Status422UnprocessableEntity, "Over the ticket limit",
                $"You can hold at most {limit.Limit} tickets for this concert; you already have {limit.AlreadyHeld}.",
                new() { ["limit"] = limit.Limit, ["alreadyHeld"] = limit.AlreadyHeld }),
            HoldOutcome.NotOpenYet notOpen => Problem(StatusCodes.Status409Conflict, "Sales have not opened yet",
                $"Sales open at {notOpen.OpensAt:yyyy-MM-ddTHH:mm:ssZ}.", new() { ["opensAt"] = notOpen.OpensAt }),
            HoldOutcome.SalesStopped => Problem(StatusCodes.Status409Conflict, "Sales have stopped", "This concert is no longer on sale.", []),
            _ => Problem(StatusCodes.Status409Conflict, "Request withdrawn", "The request went away before it was decided; nothing was held.", []),
        };
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
                "Seats in checkout are released by cancelling the order.", []),
            _ => HoldNotFound(holdId),
        };
    }

    private static ProblemHttpResult HoldNotFound(Guid holdId) =>
        TypedResults.Problem(title: "Hold not found", detail: $"You have no hold {holdId}.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Problem(int status, string title, string detail, Dictionary<string, object?> extensions) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
}
