using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Concerts;

// The concert aggregate: its events and the state folded from them, in one place.

public sealed record PriceTier(string Code, string Name, decimal Price, string Currency);

public sealed record Row(string Label, int Seats);

public sealed record Section(string Code, string Tier, IReadOnlyList<Row> Rows)
{
    public int Capacity => Rows.Sum(row => row.Seats);
}

/// <summary>A concert's names in other languages, each keyed by BCP 47 tag (see <see cref="LocalizedNames"/>); null: none given.</summary>
public sealed record ConcertNames(
    IReadOnlyDictionary<string, string>? Artist,
    IReadOnlyDictionary<string, string>? Title,
    IReadOnlyDictionary<string, string>? Venue,
    IReadOnlyDictionary<string, string>? City);

/// <summary>What an operator sets up for a concert; times are UTC instants, <c>TimeZone</c> the venue's IANA zone.</summary>
public sealed record ConcertDetails(
    string Artist,
    string Title,
    string Venue,
    string City,
    string TimeZone,
    DateTimeOffset StartsAt,
    DateTimeOffset SaleOpensAt,
    int TicketLimitPerFan,
    IReadOnlyList<PriceTier> PriceTiers,
    IReadOnlyList<Section> Sections,
    WaitingRoom? WaitingRoom = null,
    ConcertNames? Names = null)
{
    public int Capacity => Sections.Sum(section => section.Capacity);
}

public sealed record ConcertDrafted(Guid ConcertId, ConcertDetails Details, DateTimeOffset DraftedAt);

public sealed record ConcertRevised(Guid ConcertId, ConcertDetails Details, DateTimeOffset RevisedAt);

/// <summary>Carries the details as published, so that the event alone tells what went on sale.</summary>
public sealed record ConcertPublished(Guid ConcertId, ConcertDetails Details, DateTimeOffset PublishedAt);

public sealed record ConcertCancelled(Guid ConcertId, string Reason, bool WasPublished, DateTimeOffset CancelledAt);

public enum ConcertStatus
{
    Draft,
    Published,
    Cancelled,
}

public sealed record Concert
{
    public Guid Id { get; init; }
    public required ConcertDetails Details { get; init; }
    public ConcertStatus Status { get; init; }
    public int Capacity { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? CancellationReason { get; init; }
    public int Version { get; set; }

    /// <summary>Every name of the artist, title, venue and city in every language, folded for search (stored, queried by <c>?q=</c>).</summary>
    public string SearchText => CatalogSearch.Of(
        new[] { Details.Artist, Details.Title, Details.Venue, Details.City }
            .Concat(CatalogSearch.Values(Details.Names?.Artist))
            .Concat(CatalogSearch.Values(Details.Names?.Title))
            .Concat(CatalogSearch.Values(Details.Names?.Venue))
            .Concat(CatalogSearch.Values(Details.Names?.City)));

    public static Concert Create(ConcertDrafted drafted) => new()
    {
        Id = drafted.ConcertId,
        Details = drafted.Details,
        Status = ConcertStatus.Draft,
        Capacity = drafted.Details.Capacity,
        CreatedAt = drafted.DraftedAt,
        UpdatedAt = drafted.DraftedAt,
    };

    public Concert Apply(ConcertRevised revised) =>
        this with { Details = revised.Details, Capacity = revised.Details.Capacity, UpdatedAt = revised.RevisedAt };

    public Concert Apply(ConcertPublished published) =>
        this with { Status = ConcertStatus.Published, PublishedAt = published.PublishedAt, UpdatedAt = published.PublishedAt };

    public Concert Apply(ConcertCancelled cancelled) => this with
    {
        Status = ConcertStatus.Cancelled,
        CancelledAt = cancelled.CancelledAt,
        CancellationReason = cancelled.Reason,
        UpdatedAt = cancelled.CancelledAt,
    };

    public bool IsOnSale(DateTimeOffset now) => Status == ConcertStatus.Published && now >= Details.SaleOpensAt;
}

/// <summary>The decisions on a concert, as pure functions of its state and the time.</summary>
public static class ConcertDecisions
{
    public static Decision<ConcertRevised> Revise(Concert concert, ConcertDetails details, DateTimeOffset now) =>
        concert.Status switch
        {
            ConcertStatus.Draft => new ConcertRevised(concert.Id, details, now),
            ConcertStatus.Published => Decision<ConcertRevised>.Conflict(
                "A published concert's seat map, prices and schedule cannot be changed. Cancel it and create a new one."),
            _ => Decision<ConcertRevised>.Conflict("The concert was cancelled."),
        };

    /// <summary>Publishing twice is not an error: the second time changes nothing.</summary>
    public static Decision<ConcertPublished> Publish(Concert concert, DateTimeOffset now) => concert.Status switch
    {
        ConcertStatus.Published => Decision<ConcertPublished>.NoChange,
        ConcertStatus.Cancelled => Decision<ConcertPublished>.Conflict("A cancelled concert cannot be published."),
        _ when concert.Details.StartsAt <= now => Decision<ConcertPublished>.Conflict("The concert has already started."),
        _ => new ConcertPublished(concert.Id, concert.Details, now),
    };

    public static Decision<ConcertCancelled> Cancel(Concert concert, string? reason, DateTimeOffset now) => concert.Status switch
    {
        ConcertStatus.Cancelled => Decision<ConcertCancelled>.NoChange,
        _ => new ConcertCancelled(
            concert.Id,
            string.IsNullOrWhiteSpace(reason) ? "Cancelled by the organiser" : reason.Trim(),
            concert.Status == ConcertStatus.Published,
            now),
    };
}
