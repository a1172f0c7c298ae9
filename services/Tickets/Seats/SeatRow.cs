namespace Ticketing.Tickets.Seats;

// One stream per row of seats: its version is the lock. Two holds of seats in one row append to the same stream
// at the same expected version, and PostgreSQL's unique (stream, version) lets only one of them commit. A row
// (tens of seats) rather than a seat per stream keeps a 20,000-seat arena at a few hundred streams: one append
// per hold instead of one per seat, and a seat map read as a few hundred documents.

public sealed record RowOpened(
    Guid RowKey,
    Guid ConcertId,
    string Section,
    string Row,
    int SectionIndex,
    int RowIndex,
    string Tier,
    decimal Price,
    string Currency,
    int Seats);

public sealed record RowSeatsHeld(Guid RowKey, Guid HoldId, string FanId, IReadOnlyList<string> SeatIds);

public sealed record RowSeatsReleased(Guid RowKey, Guid HoldId, IReadOnlyList<string> SeatIds);

public sealed record RowSeatsSold(Guid RowKey, Guid HoldId, IReadOnlyList<RowTicket> Tickets);

public sealed record RowTicket(string SeatId, Guid TicketId);

/// <summary>Sold seats came back (refund, cancelled concert): their tickets are void, the seats available.</summary>
public sealed record RowSeatsReturned(Guid RowKey, IReadOnlyList<string> SeatIds);

public enum SeatStatus
{
    Available,
    Held,
    Sold,
}

public sealed record RowSeat(string SeatId, int Number, SeatStatus Status, Guid? HoldId = null, string? FanId = null, Guid? TicketId = null);

public sealed record SeatRow
{
    public Guid Id { get; init; }
    public Guid ConcertId { get; init; }
    public required string Section { get; init; }
    public required string Row { get; init; }
    public int SectionIndex { get; init; }

    /// <summary>0 is the front row of its section; best-available takes lower rows first.</summary>
    public int RowIndex { get; init; }

    public required string Tier { get; init; }
    public decimal Price { get; init; }
    public required string Currency { get; init; }
    public IReadOnlyList<RowSeat> Seats { get; init; } = [];
    public int Version { get; set; }

    public static string SeatIdOf(string section, string row, int number) => $"{section}-{row}-{number}";

    public RowSeat? Seat(string seatId) => Seats.FirstOrDefault(seat => seat.SeatId == seatId);

    public static SeatRow Create(RowOpened opened) => new()
    {
        Id = opened.RowKey,
        ConcertId = opened.ConcertId,
        Section = opened.Section,
        Row = opened.Row,
        SectionIndex = opened.SectionIndex,
        RowIndex = opened.RowIndex,
        Tier = opened.Tier,
        Price = opened.Price,
        Currency = opened.Currency,
        Seats = Enumerable.Range(1, opened.Seats)
            .Select(number => new RowSeat(SeatIdOf(opened.Section, opened.Row, number), number, SeatStatus.Available))
            .ToList(),
    };

    public SeatRow Apply(RowSeatsHeld held) =>
        With(held.SeatIds, seat => seat with { Status = SeatStatus.Held, HoldId = held.HoldId, FanId = held.FanId });

    public SeatRow Apply(RowSeatsReleased released) =>
        With(released.SeatIds, seat => seat with { Status = SeatStatus.Available, HoldId = null, FanId = null });

    public SeatRow Apply(RowSeatsSold sold)
    {
        var tickets = sold.Tickets.ToDictionary(ticket => ticket.SeatId, ticket => ticket.TicketId);
        return With(tickets.Keys, seat => seat with { Status = SeatStatus.Sold, TicketId = tickets[seat.SeatId] });
    }

    public SeatRow Apply(RowSeatsReturned returned) =>
        With(returned.SeatIds, seat => seat with { Status = SeatStatus.Available, HoldId = null, FanId = null, TicketId = null });

    private SeatRow With(IEnumerable<string> seatIds, Func<RowSeat, RowSeat> change)
    {
        var changed = seatIds.ToHashSet(StringComparer.Ordinal);
        return this with { Seats = Seats.Select(seat => changed.Contains(seat.SeatId) ? change(seat) : seat).ToList() };
    }
}
