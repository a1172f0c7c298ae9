using Ticketing.ServiceDefaults.Http;
using Marten;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Admission;

public sealed record TicketResponse(Guid TicketId, Guid ConcertId, string SeatId, string Tier, decimal Price, string Currency, string Code, TicketStatus Status, DateTimeOffset IssuedAt);

/// <summary>A gate's scan: the code, and the concert the gate admits to (without it, the concert the code names).</summary>
public sealed record CheckInRequest(string? Code, Guid? ConcertId);

public sealed record CheckInResponse(Guid TicketId, Guid ConcertId, string SeatId, DateTimeOffset CheckedInAt);

public static class AdmissionApi
{
    public static RouteGroupBuilder MapAdmission(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets").WithTags("Tickets");
        group.MapGet("/mine", MyTickets).RequireAuthorization(Policies.Fan).WithName(nameof(MyTickets)).WithSummary("The caller's tickets with their signed codes.");
        group.MapPost("/check-in", CheckIn).RequireAuthorization(Policies.Operator).WithName(nameof(CheckIn)).WithSummary("Admit the holder of a ticket code, once.");
        return group;
    }

    public static async Task<IResult> MyTickets(HttpContext context, IQuerySession session, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        var tickets = await session.Query<Ticket>()
            .Where(ticket => ticket.FanId == fanId)
            .OrderByDescending(ticket => ticket.IssuedAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(tickets.Select(ticket => new TicketResponse(
            ticket.Id, ticket.ConcertId, ticket.SeatId, ticket.Tier, ticket.Price, ticket.Currency, ticket.Code, ticket.Status, ticket.IssuedAt)).ToList());
    }

    /// <summary>
    /// The code's signature is checked first (a forgery never reaches the ledger); then the concert's seat ledger
    /// decides the scan against what it sold, so two gates scanning one code at the same instant admit it once.
    /// </summary>
    public static async Task<IResult> CheckIn(CheckInRequest? request, TicketCodes codes, SeatLedgers ledgers, CancellationToken cancellationToken)
    {
        if (codes.Verify(request?.Code) is not { } claims)
        {
            return Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", "The code is malformed, altered or not one of ours.", "invalid_code");
        }

        var gateConcertId = request!.ConcertId ?? claims.ConcertId;
        if (await ledgers.GetAsync(gateConcertId, cancellationToken) is not { } ledger)
        {
            return Refused(StatusCodes.Status404NotFound, "Concert not on sale here", $"Concert {gateConcertId} is unknown.", "unknown_concert");
        }

        return await ledger.DecideAsync(new CheckInTicket(claims), cancellationToken) switch
        {
            CheckInOutcome.Admitted admitted => TypedResults.Ok(new CheckInResponse(admitted.Ticket.Id, gateConcertId, admitted.SeatId, admitted.CheckedInAt)),
            CheckInOutcome.Refused { Reason: CheckInRefusals.UnknownTicket or CheckInRefusals.CodeMismatch } refused =>
                Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", refused.Detail, refused.Reason),
            CheckInOutcome.Refused { Reason: CheckInRefusals.AlreadyCheckedIn } refused => Refused(StatusCodes.Status409Conflict, "Already checked in", refused.Detail, refused.Reason),
            CheckInOutcome.Refused { Reason: CheckInRefusals.Voided } refused => Refused(StatusCodes.Status409Conflict, "Ticket void", refused.Detail, refused.Reason),
            CheckInOutcome.Refused refused => Refused(StatusCodes.Status409Conflict, "Not for this concert", refused.Detail, refused.Reason),
            var other => throw new InvalidOperationException($"Unexpected check-in outcome {other}"),
        };
    }

    private static IResult Refused(int status, string title, string detail, string reason) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
