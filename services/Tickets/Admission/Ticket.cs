namespace Ticketing.Tickets.Admission;

public sealed record TicketIssued(
    Guid TicketId,
    Guid ConcertId,
    string SeatId,
    string FanId,
    Guid HoldId,
    Guid OrderId,
    string Tier,
    decimal Price,
    string Currency,
    string Code,
    DateTimeOffset IssuedAt);

public sealed record TicketCheckedIn(Guid TicketId, DateTimeOffset CheckedInAt);

public sealed record TicketVoided(Guid TicketId, Guid ConcertId, string Reason, DateTimeOffset VoidedAt);

public enum TicketStatus
{
    Valid,
    CheckedIn,
    Voided,
}

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
    public int Version { get; set; }

    public static Ticket Create(TicketIssued issued) => new()
    {
        Id = issued.TicketId,
        ConcertId = issued.ConcertId,
        SeatId = issued.SeatId,
        FanId = issued.FanId,
        HoldId = issued.HoldId,
        OrderId = issued.OrderId,
        Tier = issued.Tier,
        Price = issued.Price,
        Currency = issued.Currency,
        Code = issued.Code,
        Status = TicketStatus.Valid,
        IssuedAt = issued.IssuedAt,
    };

    public Ticket Apply(TicketCheckedIn checkedIn) => this with { Status = TicketStatus.CheckedIn, CheckedInAt = checkedIn.CheckedInAt };

    public Ticket Apply(TicketVoided voided) => this with { Status = TicketStatus.Voided, VoidReason = voided.Reason };
}
