namespace Ticketing.Catalog.Concerts;

/// <summary>
/// How long a public read of concerts stays true. A published concert changes only when it is cancelled, and its
/// <c>onSale</c> flips when its sale opens: its page is kept a minute, never past that opening, so fans see the sale
/// open on time; a cancellation shows at once in Tickets' availability and seat state (<c>salesStopped</c>, a second
/// old at most), and holds are refused whatever a cache shows. The list is kept a few seconds only: a newly published
/// concert appears on every gateway and CDN that quickly without purging anything (the gateway an operator's change
/// passes through also drops its kept catalog answers at once).
/// Drafts are the operators' work in progress: never public, never stored by a cache.
/// </summary>
public static class ConcertCaching
{
    public static readonly TimeSpan PublishedMaxAge = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan ListMaxAge = TimeSpan.FromSeconds(5);

    /// <summary>How long answers about <paramref name="concerts"/> may be kept, seen at <paramref name="now"/>: at most <paramref name="limit"/>.</summary>
    public static TimeSpan MaxAge(IEnumerable<Concert> concerts, DateTimeOffset now, TimeSpan? limit = null)
    {
        var maxAge = limit ?? PublishedMaxAge;
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
