namespace Ticketing.Tickets.Seats;

// One stream per seat: its version is the lock. Two holds of the same seat append to the same stream at the
// same expected version, and PostgreSQL's unique (stream, version) lets only one of them commit.

public sealed record SeatOpened(
    Guid SeatKey,
    Guid ConcertId,
    string SeatId,
    string Section,
    string Row,
    int Number,
    int SectionIndex,
    int RowIndex,
    string Tier,
    decimal Price,
    string Currency);

public sealed record SeatHeld(Guid SeatKey, Guid HoldId, string FanId);

public sealed record SeatReleased(Guid SeatKey, Guid HoldId);

public sealed record SeatSold(Guid SeatKey, Guid HoldId, Guid TicketId);

/// <summary>A sold seat came back (refund, cancelled concert): its ticket is void, the seat is available.</summary>
public sealed record SeatReturned(Guid SeatKey, Guid TicketId);

public enum SeatStatus
{
    Available,
    Held,
    Sold,
}

public sealed record Seat
{
    public Guid Id { get; init; }
    public Guid ConcertId { get; init; }
    public required string SeatId { get; init; }
    public required string Section { get; init; }
    public required string Row { get; init; }
    public int Number { get; init; }
    public int SectionIndex { get; init; }

    /// <summary>0 is the front row of its section; best-available takes lower rows first.</summary>
    public int RowIndex { get; init; }

    public required string Tier { get; init; }
    public decimal Price { get; init; }
    public required string Currency { get; init; }
    public SeatStatus Status { get; init; }
    public Guid? HoldId { get; init; }
    public string? FanId { get; init; }
    public Guid? TicketId { get; init; }
    public int Version { get; set; }

    public static Seat Create(SeatOpened opened) => new()
    {
        Id = opened.SeatKey,
        ConcertId = opened.ConcertId,
        SeatId = opened.SeatId,
        Section = opened.Section,
        Row = opened.Row,
        Number = opened.Number,
        SectionIndex = opened.SectionIndex,
        RowIndex = opened.RowIndex,
        Tier = opened.Tier,
        Price = opened.Price,
        Currency = opened.Currency,
        Status = SeatStatus.Available,
    };

    public Seat Apply(SeatHeld held) => this with { Status = SeatStatus.Held, HoldId = held.HoldId, FanId = held.FanId };

    public Seat Apply(SeatReleased _) => this with { Status = SeatStatus.Available, HoldId = null, FanId = null };

    public Seat Apply(SeatSold sold) => this with { Status = SeatStatus.Sold, TicketId = sold.TicketId };

    public Seat Apply(SeatReturned _) => this with { Status = SeatStatus.Available, HoldId = null, FanId = null, TicketId = null };
}
