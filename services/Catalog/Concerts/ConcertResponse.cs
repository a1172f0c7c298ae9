using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Concerts;

/// <summary>
/// A concert as clients see it. Instants are UTC; the <c>...Local</c> twins are the same instants at the venue,
/// so a fan in New York sees both "opens 03:00 your time" and "20:00 in Seoul".
/// </summary>
public sealed record ConcertResponse(
    Guid Id,
    string Artist,
    string Title,
    string Venue,
    string City,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset StartsAtLocal,
    DateTimeOffset SaleOpensAt,
    DateTimeOffset SaleOpensAtLocal,
    int TicketLimitPerFan,
    IReadOnlyList<PriceTier> PriceTiers,
    IReadOnlyList<SectionResponse> Sections,
    ConcertStatus Status,
    bool OnSale,
    int Capacity,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? CancelledAt,
    string? CancellationReason,
    int Version,
    WaitingRoom? WaitingRoom,
    ConcertNames? Names)
{
    public static ConcertResponse From(Concert concert, DateTimeOffset now)
    {
        var details = concert.Details;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(details.TimeZone);
        return new ConcertResponse(
            concert.Id,
            details.Artist,
            details.Title,
            details.Venue,
            details.City,
            details.TimeZone,
            details.StartsAt,
            TimeZoneInfo.ConvertTime(details.StartsAt, zone),
            details.SaleOpensAt,
            TimeZoneInfo.ConvertTime(details.SaleOpensAt, zone),
            details.TicketLimitPerFan,
            details.PriceTiers,
            details.Sections.Select(section => new SectionResponse(section.Code, section.Tier, section.Capacity, section.Rows)).ToList(),
            concert.Status,
            concert.IsOnSale(now),
            concert.Capacity,
            concert.CreatedAt,
            concert.PublishedAt,
            concert.CancelledAt,
            concert.CancellationReason,
            concert.Version,
            details.WaitingRoom,
            details.Names);
    }
}

public sealed record SectionResponse(string Code, string Tier, int Capacity, IReadOnlyList<Row> Rows);

/// <summary>
/// A concert as a list shows it: everything of <see cref="ConcertResponse"/> but the seat map (<c>sections</c>), which
/// only the concert's own page needs (<c>GET /api/catalog/concerts/{id}</c>, or the venue layout of Tickets).
/// </summary>
public sealed record ConcertSummaryResponse(
    Guid Id,
    string Artist,
    string Title,
    string Venue,
    string City,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset StartsAtLocal,
    DateTimeOffset SaleOpensAt,
    DateTimeOffset SaleOpensAtLocal,
    int TicketLimitPerFan,
    IReadOnlyList<PriceTier> PriceTiers,
    ConcertStatus Status,
    bool OnSale,
    int Capacity,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? CancelledAt,
    string? CancellationReason,
    int Version,
    ConcertNames? Names)
{
    public static ConcertSummaryResponse From(Concert concert, DateTimeOffset now)
    {
        var details = ConcertResponse.From(concert, now);
        return new ConcertSummaryResponse(
            details.Id, details.Artist, details.Title, details.Venue, details.City, details.TimeZone,
            details.StartsAt, details.StartsAtLocal, details.SaleOpensAt, details.SaleOpensAtLocal,
            details.TicketLimitPerFan, details.PriceTiers, details.Status, details.OnSale, details.Capacity,
            details.CreatedAt, details.PublishedAt, details.CancelledAt, details.CancellationReason, details.Version, details.Names);
    }
}
