using Ticketing.ServiceDefaults.Http;
using Marten;
using Ticketing.ServiceDefaults.Security;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Admission;

public sealed record TicketResponse(Guid TicketId, Guid ConcertId, string SeatId, string Tier, decimal Price, string Currency, string Code, TicketStatus Status, DateTimeOffset IssuedAt);

public sealed record CheckInRequest(string? Code);

public sealed record CheckInResponse(Guid TicketId, Guid ConcertId, string SeatId, DateTimeOffset CheckedInAt);

public static class AdmissionApi
{
    public static RouteGroupBuilder MapAdmission(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets").WithTags("Tickets");
        group.MapGet("/mine", MyTickets).RequireAuthorization(Policies.Fan).NoStore().WithName(nameof(MyTickets)).WithSummary("The caller's tickets with their signed codes.");
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

    public static async Task<IResult> CheckIn(
        CheckInRequest? request, TicketCodes codes, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (codes.Verify(request?.Code) is not { } claims)
        {
            return Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", "The code is malformed, altered or not one of ours.", "invalid_code");
        }

        var stream = await session.Events.FetchForWriting<Ticket>(claims.TicketId, cancellationToken);
        switch (stream.Aggregate)
        {
            case null:
                return Refused(StatusCodes.Status400BadRequest, "Not a valid ticket", "No ticket was issued with this code.", "unknown_ticket");
            case { Status: TicketStatus.Voided } voided:
                return Refused(StatusCodes.Status409Conflict, "Ticket void", $"This ticket was voided ({voided.VoidReason}).", "voided");
            case { Status: TicketStatus.CheckedIn } used:
                return Refused(StatusCodes.Status409Conflict, "Already checked in", $"This ticket was scanned at {used.CheckedInAt:HH:mm:ss} UTC.", "already_checked_in");
        }

        var now = time.GetUtcNow();
        stream.AppendOne(new TicketCheckedIn(claims.TicketId, now));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (Ticketing.ServiceDefaults.Persistence.Conflicts.IsConcurrencyConflict(exception))
        {
            // Two gates scanned the same code at the same instant: the other one let the holder in.
            return Refused(StatusCodes.Status409Conflict, "Already checked in", "This ticket was just scanned at another gate.", "already_checked_in");
        }

        return TypedResults.Ok(new CheckInResponse(claims.TicketId, claims.ConcertId, claims.SeatId, now));
    }

    private static IResult Refused(int status, string title, string detail, string reason) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
