namespace Ticketing.Catalog.Concerts;

/// <summary>
/// How long a public read of concerts stays true. A published concert changes only when it is cancelled, and its
/// <c>onSale</c> flips when its sale opens: a minute of caching, never past that opening, so fans see the sale open on
/// time. The gateway drops its cached catalog answers when an operator's change passes through it, and the sale's
/// live state (seats, <c>salesStopped</c>) comes from Tickets' availability, cached for a second only.
/// Drafts are the operators' work in progress: never public, never stored by a cache.
/// </summary>
public static class ConcertCaching
{
    public static readonly TimeSpan PublishedMaxAge = TimeSpan.FromSeconds(60);

    /// <summary>How long answers about <paramref name="concerts"/> may be kept, seen at <paramref name="now"/>.</summary>
    public static TimeSpan MaxAge(IEnumerable<Concert> concerts, DateTimeOffset now)
    {
        var maxAge = PublishedMaxAge;
        foreach (var concert in concerts)
        {
            if (concert.Status == ConcertStatus.Published && concert.Details.SaleOpensAt > now)
            {
                var untilOpening = concert.Details.SaleOpensAt - now;
                maxAge = untilOpening < maxAge ? untilOpening : maxAge;
            }
        }

        return maxAge < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : maxAge;
    }
}
