namespace Ticketing.Contracts.Catalog;

/// <summary>
/// A concert went on sale (from <c>SaleOpensAt</c>). Carries the whole seat map and prices so that consumers
/// can build their own inventory without calling the Catalog. Times are UTC instants; <c>TimeZone</c> is the
/// venue's IANA zone for showing local times.
/// </summary>
public sealed record ConcertPublished(
    Guid ConcertId,
    string Artist,
    string Title,
    string Venue,
    string City,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset SaleOpensAt,
    int TicketLimitPerFan,
    IReadOnlyList<PriceTier> PriceTiers,
    IReadOnlyList<SeatSection> Sections,
    int Capacity,
    DateTimeOffset PublishedAt)
{
    /// <summary>The drop's waiting room; null when fans go straight to the seat map (added later: absent from older publishers).</summary>
    public WaitingRoom? WaitingRoom { get; init; }

    /// <summary>The concert's names in other languages; null when there are none (added later: absent from older publishers).</summary>
    public ConcertNames? Names { get; init; }
}
