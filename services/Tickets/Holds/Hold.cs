using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Holds;

public enum HoldStatus
{
    Held,
    CheckedOut,
    Sold,
    Released,
    Expired,
    Refunded,
}

/// <summary>
/// A hold as fans and operators read it, and as the expiry runner and Orders' messages find it by id. It is written
/// by the concert's ledger writer in the same transaction as the ledger batch that changed it, so it is current the
/// moment a change commits; the ledger stays the authority for every decision.
/// </summary>
public sealed record Hold
{
    public Guid Id { get; init; }
    public Guid ConcertId { get; init; }
    public required string FanId { get; init; }
    public IReadOnlyList<HeldSeat> Seats { get; init; } = [];
    public HoldStatus Status { get; init; }
    public Guid? OrderId { get; init; }
    public IReadOnlyList<SoldSeat> Tickets { get; init; } = [];
    public DateTimeOffset PlacedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static Hold Of(SeatLedger ledger, LedgerHold hold) => new()
    {
        Id = hold.Id,
        ConcertId = ledger.ConcertId,
        FanId = hold.FanId,
        Seats = hold.Seats.Select(ledger.Layout.HeldSeat).ToList(),
        Status = hold.Status,
        OrderId = hold.OrderId,
        Tickets = hold.Tickets,
        PlacedAt = hold.PlacedAt,
        ExpiresAt = hold.ExpiresAt,
        UpdatedAt = hold.UpdatedAt,
    };
}
