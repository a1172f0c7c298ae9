using System.Text.Json.Serialization;
using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Concerts;

/// <summary>
/// A concert as a list shows it. Instants are UTC; the <c>...Local</c> twins are the same instants at the venue,
/// so a fan in New York sees both "opens 03:00 your time" and "20:00 in Seoul". The concert's own page
/// (<c>GET /api/catalog/concerts/{id}</c>) adds the seat map and the waiting room: <see cref="ConcertResponse"/>.
/// </summary>
public record ConcertSummaryResponse(
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
        var details = concert.Details;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(details.TimeZone);
        return new ConcertSummaryResponse(
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
            concert.Status,
            concert.IsOnSale(now),
            concert.Capacity,
            concert.CreatedAt,
            concert.PublishedAt,
            concert.CancelledAt,
            concert.CancellationReason,
            concert.Version,
            details.Names);
    }
}

/// <summary>A concert as its own page shows it: everything of <see cref="ConcertSummaryResponse"/>, the seat map (<c>sections</c>) and the waiting room.</summary>
public sealed record ConcertResponse : ConcertSummaryResponse
{
    private ConcertResponse(ConcertSummaryResponse summary, IReadOnlyList<SectionResponse> sections, WaitingRoom? waitingRoom)
        : base(summary)
    {
        Sections = sections;
        WaitingRoom = waitingRoom;
    }

    // After the summary's fields in the JSON (a derived record's own properties would otherwise come first).
    [JsonPropertyOrder(1)]
    public IReadOnlyList<SectionResponse> Sections { get; init; }

    [JsonPropertyOrder(1)]
    public WaitingRoom? WaitingRoom { get; init; }

    public static new ConcertResponse From(Concert concert, DateTimeOffset now) => new(
        ConcertSummaryResponse.From(concert, now),
        concert.Details.Sections.Select(section => new SectionResponse(section.Code, section.Tier, section.Capacity, section.Rows)).ToList(),
        concert.Details.WaitingRoom);
}

public sealed record SectionResponse(string Code, string Tier, int Capacity, IReadOnlyList<Row> Rows);
