namespace Ticketing.Tickets.Inventory;

// The seats of one concert as Tickets sells them, built from the Catalog's ConcertPublished.

public sealed record TierPrice(string Code, string Name, decimal Price, string Currency);

public sealed record InventoryRow(string Label, int Seats);

public sealed record InventorySection(string Code, string Tier, IReadOnlyList<InventoryRow> Rows);

public sealed record InventoryOpened(
    Guid ConcertId,
    string Artist,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset SaleOpensAt,
    int TicketLimitPerFan,
    IReadOnlyList<TierPrice> Tiers,
    IReadOnlyList<InventorySection> Sections,
    DateTimeOffset OpenedAt,
    bool HasWaitingRoom = false);

public sealed record SalesStopped(Guid ConcertId, string Reason, DateTimeOffset StoppedAt);

public sealed record ConcertInventory
{
    public Guid Id { get; init; }
    public required string Artist { get; init; }
    public required string Title { get; init; }
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset SaleOpensAt { get; init; }
    public int TicketLimitPerFan { get; init; }
    public IReadOnlyList<TierPrice> Tiers { get; init; } = [];
    public IReadOnlyList<InventorySection> Sections { get; init; } = [];
    public bool SalesStopped { get; init; }

    /// <summary>The drop has a waiting room: holds need the fan's admission pass from the Queue service.</summary>
    public bool HasWaitingRoom { get; init; }
    public string? StopReason { get; init; }
    public int Version { get; set; }

    public static ConcertInventory Create(InventoryOpened opened) => new()
    {
        Id = opened.ConcertId,
        Artist = opened.Artist,
        Title = opened.Title,
        StartsAt = opened.StartsAt,
        SaleOpensAt = opened.SaleOpensAt,
        TicketLimitPerFan = opened.TicketLimitPerFan,
        Tiers = opened.Tiers,
        Sections = opened.Sections,
        HasWaitingRoom = opened.HasWaitingRoom,
    };

    public ConcertInventory Apply(SalesStopped stopped) => this with { SalesStopped = true, StopReason = stopped.Reason };

    public int Capacity => Sections.Sum(section => section.Rows.Sum(row => row.Seats));

    /// <summary>Every seat in map order: sections as listed, rows front to back, seats by number.</summary>
    public IEnumerable<(string SeatId, InventorySection Section, InventoryRow Row, int Number, int SectionIndex, int RowIndex)> Seats() =>
        from section in Sections.Select((section, index) => (section, index))
        from row in section.section.Rows.Select((row, index) => (row, index))
        from number in Enumerable.Range(1, row.row.Seats)
        select (Ticketing.Tickets.Seats.SeatRow.SeatIdOf(section.section.Code, row.row.Label, number), section.section, row.row, number, section.index, row.index);
}
