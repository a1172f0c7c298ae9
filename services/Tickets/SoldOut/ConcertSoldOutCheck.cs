using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.SoldOut;

// Tells the waiting room when a concert drop has no seat left to hold (and when seats come back), so the Queue
// service can tell every waiting fan at once instead of letting them wait for nothing. A small check beside the hold
// path, not inside it: it asks IConcertAvailability what the seats are as committed (a stopped sale counts as nothing left), and announces changes through
// the outbox.

/// <summary>A concert with a waiting room has no seat left to hold.</summary>
public sealed record ConcertSoldOut(Guid ConcertId, DateTimeOffset SoldOutAt);

/// <summary>A sold-out concert with a waiting room has seats to hold again.</summary>
public sealed record ConcertSeatsAvailableAgain(Guid ConcertId, int Available, DateTimeOffset At);

/// <summary>What was last announced of one concert: whether it is sold out.</summary>
public sealed record ConcertSoldOutState(Guid Id, bool SoldOut, DateTimeOffset ChangedAt);

/// <summary>Section <c>Tickets:SoldOut</c>.</summary>
public sealed class SoldOutCheckOptions
{
    /// <summary>How often concerts with a waiting room are checked.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>How many seats of a concert can still be held (neither held nor sold), as committed.</summary>
public interface IConcertAvailability
{
    Task<int> AvailableSeatsAsync(Guid concertId, CancellationToken cancellationToken);
}

/// <summary>
/// Available seats as the concert's seat ledger on this instance knows them, after reading any newer events of the
/// ledger (another instance's holds): one small read, no seat map from the database.
/// </summary>
public sealed class SeatLedgerAvailability(SeatLedgers ledgers) : IConcertAvailability
{
    public async Task<int> AvailableSeatsAsync(Guid concertId, CancellationToken cancellationToken) =>
        await ledgers.GetAsync(concertId, cancellationToken) is { } ledger
            && await ledger.ReadAsync(TimeSpan.Zero, cancellationToken) is { SalesStopped: false } view
            ? view.Available
            : 0;
}

/// <summary>
/// On one instance at a time: every <see cref="SoldOutCheckOptions.Interval"/>, compares each concert with a waiting
/// room that is on sale with what was last announced, and appends <see cref="ConcertSoldOut"/> or
/// <see cref="ConcertSeatsAvailableAgain"/> to the announcements stream when it changed; the outbox relay publishes them.
/// </summary>
public sealed class ConcertSoldOutCheck(
    IConfiguration configuration,
    IDocumentStore store,
    IConcertAvailability availability,
    IOptions<SoldOutCheckOptions> options,
    TimeProvider time,
    ILogger<ConcertSoldOutCheck> logger) : SingleInstanceWorker(configuration, time, logger)
{
    /// <summary>One stream for every announcement: written only by this check, so appends never contend.</summary>
    public static readonly Guid AnnouncementsStreamId = new("b8a1f5c4-2e7d-4b93-8f06-5a3c9d1e7b20");

    protected override long LockKey => 0x7469783A736F6C64; // "tix:sold"

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var concerts = await session.Query<ConcertInventory>()
            .Where(concert => concert.HasWaitingRoom && concert.SaleOpensAt <= now)
            .Select(concert => concert.Id)
            .ToListAsync(cancellationToken);
        if (concerts.Count == 0)
        {
            return [];
        }

        var announced = (await session.LoadManyAsync<ConcertSoldOutState>(cancellationToken, concerts))
            .ToDictionary(state => state.Id, state => state.SoldOut);
        var due = new List<Guid>();
        foreach (var concertId in concerts)
        {
            var soldOut = await availability.AvailableSeatsAsync(concertId, cancellationToken) == 0;
            if (soldOut != announced.GetValueOrDefault(concertId))
            {
                due.Add(concertId);
            }
        }

        return due;
    }

    protected override async Task FireAsync(Guid id, CancellationToken cancellationToken)
    {
        var available = await availability.AvailableSeatsAsync(id, cancellationToken);
        await using var session = store.LightweightSession();
        var state = await session.LoadAsync<ConcertSoldOutState>(id, cancellationToken);
        var soldOut = available == 0;
        if (soldOut == (state?.SoldOut ?? false))
        {
            return;
        }

        var now = Time.GetUtcNow();
        session.Events.Append(AnnouncementsStreamId, soldOut
            ? new ConcertSoldOut(id, now)
            : new ConcertSeatsAvailableAgain(id, available, now));
        session.Store(new ConcertSoldOutState(id, soldOut, now));
        await session.SaveChangesAsync(cancellationToken);
    }
}
