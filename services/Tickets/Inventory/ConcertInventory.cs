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

    /// <summary>The drop has a waiting room: holds need the fan's admission pass from the Queue service.</summary>
    public bool HasWaitingRoom { get; init; }

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

    public int Capacity => Sections.Sum(section => section.Rows.Sum(row => row.Seats));
}
