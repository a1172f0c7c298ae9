using Marten;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Admission;

public sealed record TicketResponse(Guid TicketId, Guid ConcertId, Guid OrderId, string SeatId, string Tier, decimal Price, string Currency, string Code, TicketStatus Status, DateTimeOffset IssuedAt);

/// <summary>A gate's scan: the code on the fan's ticket and the concert the gate admits to.</summary>
public sealed record CheckInRequest(string? Code, Guid? ConcertId);

public sealed record CheckInResponse(Guid TicketId, Guid ConcertId, string SeatId, DateTimeOffset CheckedInAt);

public static class AdmissionApi
{
    public static RouteGroupBuilder MapAdmission(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets").WithTags("Tickets");
        group.MapGet("/mine", MyTickets).RequireAuthorization(Policies.Fan).NoStore().WithName(nameof(MyTickets)).WithSummary("The caller's tickets with their signed codes.")
            .Produces<List<TicketResponse>>();
        group.MapPost("/check-in", CheckIn).RequireAuthorization(Policies.Operator).WithName(nameof(CheckIn)).WithSummary("Admit the holder of a ticket code to the gate's concert, once.")
            .Produces<CheckInResponse>()
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "code or concertId missing (errors per field), or reason invalid_code, unknown_ticket or code_mismatch.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "reason already_checked_in, voided, or wrong_concert (with the ticket's ticketConcertId).");
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
            ticket.Id, ticket.ConcertId, ticket.OrderId, ticket.SeatId, ticket.Tier, ticket.Price, ticket.Currency, ticket.Code, ticket.Status, ticket.IssuedAt)).ToList());
    }

    /// <summary>
    /// Admits a ticket at a gate of <see cref="CheckInRequest.ConcertId"/>, once. The signature says the code is ours;
    /// what was sold decides: the code's claims (ticket, concert, seat, holder) must be the stored ticket's own
    /// (<c>code_mismatch</c> otherwise: a code signed with a stolen key, or a scanner's mix-up), and the ticket must be
    /// for the gate's concert (<c>wrong_concert</c>). The concert's seat ledger then decides the scan on what it sold:
    /// valid (<c>voided</c> otherwise) and not yet used (<c>already_checked_in</c>); of two gates scanning one code at
    /// the same instant exactly one admits it.
    /// </summary>
    public static async Task<IResult> CheckIn(
        CheckInRequest? request, TicketCodes codes, IQuerySession session, SeatLedgers ledgers, CancellationToken cancellationToken)
    {
        if (request?.ConcertId is not { } gateConcertId || gateConcertId == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["concertId"] = ["The id of the concert this gate admits to."],
            });
        }

        if (codes.Verify(request.Code) is not { } claims)
        {
            return Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", "The code is malformed, altered or not one of ours.", "invalid_code");
        }

        if (await session.LoadAsync<Ticket>(claims.TicketId, cancellationToken) is not { } ticket)
        {
            return Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", "No ticket was issued with this code.", CheckInRefusals.UnknownTicket);
        }

        if (!ClaimsMatch(claims, ticket))
        {
            return Refused(StatusCodes.Status400BadRequest, "Not a valid ticket",
                "The code names a ticket that was issued for another concert, seat or holder.", CheckInRefusals.CodeMismatch);
        }

        if (ticket.ConcertId != gateConcertId || await ledgers.GetAsync(gateConcertId, cancellationToken) is not { } ledger)
        {
            return WrongConcert(ticket.ConcertId);
        }

        return await ledger.DecideAsync(new CheckInTicket(claims), cancellationToken) switch
        {
            CheckInOutcome.Admitted admitted => TypedResults.Ok(new CheckInResponse(admitted.Ticket.Id, gateConcertId, admitted.SeatId, admitted.CheckedInAt)),
            CheckInOutcome.Refused { Reason: CheckInRefusals.UnknownTicket or CheckInRefusals.CodeMismatch } refused =>
                Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", refused.Detail, refused.Reason),
            CheckInOutcome.Refused { Reason: CheckInRefusals.AlreadyCheckedIn } refused => Refused(StatusCodes.Status409Conflict, "Already checked in", refused.Detail, refused.Reason),
            CheckInOutcome.Refused { Reason: CheckInRefusals.Voided } refused => Refused(StatusCodes.Status409Conflict, "Ticket void", refused.Detail, refused.Reason),
            CheckInOutcome.Refused => WrongConcert(ticket.ConcertId),
            var other => throw new InvalidOperationException($"Unexpected check-in outcome {other}"),
        };
    }

    private static IResult WrongConcert(Guid ticketConcertId) => Refused(StatusCodes.Status409Conflict, "Ticket for another concert",
        $"This ticket is for concert {ticketConcertId}, not the one this gate admits to.", CheckInRefusals.WrongConcert,
        new() { ["ticketConcertId"] = ticketConcertId });

    /// <summary>Whether a code's claims are exactly the stored ticket's.</summary>
    public static bool ClaimsMatch(TicketClaims claims, Ticket ticket) =>
        claims.TicketId == ticket.Id
        && claims.ConcertId == ticket.ConcertId
        && string.Equals(claims.SeatId, ticket.SeatId, StringComparison.Ordinal)
        && string.Equals(claims.FanId, ticket.FanId, StringComparison.Ordinal);

    private static IResult Refused(int status, string title, string detail, string reason, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["reason"] = reason;
        return TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
    }
}
