using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Admission;

public enum TicketStatus
{
    Valid,
    CheckedIn,
    Voided,
}

/// <summary>
/// A ticket as its holder reads it ("my tickets", with the signed code for the gate). Written by the concert's ledger
/// writer with the batch that issued, scanned or voided it; the ledger decides every scan.
/// </summary>
public sealed record Ticket
{
    public Guid Id { get; init; }
    public Guid ConcertId { get; init; }
    public required string SeatId { get; init; }
    public required string FanId { get; init; }
    public Guid HoldId { get; init; }
    public Guid OrderId { get; init; }
    public required string Tier { get; init; }
    public decimal Price { get; init; }
    public required string Currency { get; init; }
    public required string Code { get; init; }
    public TicketStatus Status { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset? CheckedInAt { get; init; }
    public string? VoidReason { get; init; }

    public static Ticket Of(SeatLedger ledger, LedgerTicket ticket, TicketCodes codes)
    {
        var seat = ledger.Layout.HeldSeat(ticket.Seat);
        return new Ticket
        {
            Id = ticket.Id,
            ConcertId = ledger.ConcertId,
            SeatId = seat.SeatId,
            FanId = ticket.FanId,
            HoldId = ticket.HoldId,
            OrderId = ticket.OrderId,
            Tier = seat.Tier,
            Price = seat.Price,
            Currency = seat.Currency,
            Code = codes.Issue(new TicketClaims(ticket.Id, ledger.ConcertId, seat.SeatId, ticket.FanId)),
            Status = ticket.Status,
            IssuedAt = ticket.IssuedAt,
            CheckedInAt = ticket.CheckedInAt,
            VoidReason = ticket.VoidReason,
        };
    }
}
