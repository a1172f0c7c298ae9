using Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Holds;

public sealed record HoldPlaced(
    Guid HoldId,
    Guid ConcertId,
    string FanId,
    IReadOnlyList<HeldSeat> Seats,
    DateTimeOffset PlacedAt,
    DateTimeOffset ExpiresAt);

// Events that end a hold name its concert, fan and seats, so that each says on its own what went back on sale.

/// <summary>The fan let the seats go (<c>released</c>), or their order was cancelled before it was paid.</summary>
public sealed record HoldReleased(Guid HoldId, Guid ConcertId, string FanId, IReadOnlyList<string> SeatIds, string Reason, DateTimeOffset ReleasedAt);

public sealed record HoldExpired(Guid HoldId, Guid ConcertId, string FanId, IReadOnlyList<string> SeatIds, DateTimeOffset ExpiredAt);

/// <summary>Checkout started: the hold belongs to the order and no longer expires.</summary>
public sealed record HoldCheckedOut(Guid HoldId, Guid OrderId, DateTimeOffset CheckedOutAt);

public sealed record HoldSold(Guid HoldId, Guid OrderId, Guid ConcertId, string FanId, IReadOnlyList<SoldSeat> Tickets, DateTimeOffset SoldAt);

public sealed record SoldSeat(Guid TicketId, string SeatId, string Tier, decimal Price, string Currency);

/// <summary>A sold hold was refunded: its tickets are void and its seats back on sale.</summary>
public sealed record HoldRefunded(Guid HoldId, Guid ConcertId, string FanId, IReadOnlyList<string> SeatIds, string Reason, DateTimeOffset RefundedAt);

public enum HoldStatus
{
    Held,
    CheckedOut,
    Sold,
    Released,
    Expired,
    Refunded,
}

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
    public int Version { get; set; }

    /// <summary>Seats this hold takes from the fan's per-concert limit.</summary>
    public bool CountsAgainstLimit => Status is HoldStatus.Held or HoldStatus.CheckedOut or HoldStatus.Sold;

    public bool IsActive => Status is HoldStatus.Held or HoldStatus.CheckedOut;

    public static Hold Create(HoldPlaced placed) => new()
    {
        Id = placed.HoldId,
        ConcertId = placed.ConcertId,
        FanId = placed.FanId,
        Seats = placed.Seats,
        Status = HoldStatus.Held,
        PlacedAt = placed.PlacedAt,
        ExpiresAt = placed.ExpiresAt,
        UpdatedAt = placed.PlacedAt,
    };

    public Hold Apply(HoldReleased released) => this with { Status = HoldStatus.Released, UpdatedAt = released.ReleasedAt };

    public Hold Apply(HoldExpired expired) => this with { Status = HoldStatus.Expired, UpdatedAt = expired.ExpiredAt };

    public Hold Apply(HoldCheckedOut checkedOut) =>
        this with { Status = HoldStatus.CheckedOut, OrderId = checkedOut.OrderId, UpdatedAt = checkedOut.CheckedOutAt };

    public Hold Apply(HoldSold sold) => this with { Status = HoldStatus.Sold, Tickets = sold.Tickets, UpdatedAt = sold.SoldAt };

    public Hold Apply(HoldRefunded refunded) => this with { Status = HoldStatus.Refunded, UpdatedAt = refunded.RefundedAt };
}

// One stream per fan and concert: seats held or bought, for the per-fan limit. Every hold appends to it at its
// expected version, so two holds of one fan cannot both pass the limit check.

public sealed record FanSeatsTaken(Guid AllowanceKey, Guid ConcertId, string FanId, Guid HoldId, int Seats);

public sealed record FanSeatsGivenBack(Guid HoldId, int Seats);

public sealed record FanAllowance
{
    public Guid Id { get; init; }
    public Guid ConcertId { get; init; }
    public required string FanId { get; init; }
    public int Seats { get; init; }
    public int Version { get; set; }

    public static FanAllowance Create(FanSeatsTaken taken) =>
        new() { Id = taken.AllowanceKey, ConcertId = taken.ConcertId, FanId = taken.FanId, Seats = taken.Seats };

    public FanAllowance Apply(FanSeatsTaken taken) => this with { Seats = Seats + taken.Seats };

    public FanAllowance Apply(FanSeatsGivenBack given) => this with { Seats = Math.Max(0, Seats - given.Seats) };
}
