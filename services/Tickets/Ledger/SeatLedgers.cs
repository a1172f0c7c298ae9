using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;

namespace Ticketing.Tickets.Ledger;

/// <summary>
/// The seat ledger writers of this instance, one per concert, created (the ledger read from its stream) when the
/// concert is first needed. A concert that is not published yet has none: a miss is not remembered, since the
/// inventory may be built a moment later.
/// </summary>
public sealed class SeatLedgers(
    ISessionFactory sessions,
    TicketCodes codes,
    TimeProvider time,
    HoldLocator holdLocator,
    IOptions<HoldOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SeatLedgerWriter> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<SeatLedgerWriter?>>> writers = new();

    /// <summary>Raised when a writer is created, so that readers can follow its changes.</summary>
    public event Action<SeatLedgerWriter>? WriterCreated;

    /// <summary>The concert's writer, or null when the concert has no inventory here (unknown, or not published yet).</summary>
    public async Task<SeatLedgerWriter?> GetAsync(Guid concertId, CancellationToken cancellationToken)
    {
        var entry = writers.GetOrAdd(concertId, id => new Lazy<Task<SeatLedgerWriter?>>(() => CreateAsync(id)));
        try
        {
            var writer = await entry.Value.WaitAsync(cancellationToken);
            if (writer is null)
            {
                writers.TryRemove(KeyValuePair.Create(concertId, entry));
            }

            return writer;
        }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            writers.TryRemove(KeyValuePair.Create(concertId, entry));
            throw;
        }
    }

    /// <summary>The writers loaded so far (for the seat gauges).</summary>
    public IEnumerable<SeatLedgerWriter> Loaded => writers.Values
        .Where(entry => entry.IsValueCreated && entry.Value.IsCompletedSuccessfully && entry.Value.Result is not null)
        .Select(entry => entry.Value.Result!);

    /// <summary>The writer of the concert that <paramref name="holdId"/> belongs to, or null for an unknown hold.</summary>
    public async Task<SeatLedgerWriter?> OfHoldAsync(Guid holdId, CancellationToken cancellationToken) =>
        await holdLocator.ConcertOfAsync(holdId, cancellationToken) is { } concertId ? await GetAsync(concertId, cancellationToken) : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in writers.Values.Where(entry => entry.IsValueCreated && entry.Value.IsCompletedSuccessfully))
        {
            if (entry.Value.Result is { } writer)
            {
                await writer.DisposeAsync();
            }
        }
    }

    private async Task<SeatLedgerWriter?> CreateAsync(Guid concertId)
    {
        // Shared by every caller waiting for it: it runs to the end whatever one caller's token says.
        var writer = await SeatLedgerWriter.LoadAsync(
            concertId, sessions, codes, time, holdLocator, logger, options.Value.MaxBatch, lifetime.ApplicationStopping);
        if (writer is not null)
        {
            WriterCreated?.Invoke(writer);
        }

        return writer;
    }
}

/// <summary>
/// Which concert a hold belongs to: remembered for every hold this instance's writers placed or read, else read from
/// the hold's document (holds placed by another instance).
/// </summary>
public sealed class HoldLocator(ISessionFactory sessions)
{
    private readonly ConcurrentDictionary<Guid, Guid> concertOfHold = new();

    public void Remember(Guid concertId, IEnumerable<Guid> holdIds)
    {
        foreach (var holdId in holdIds)
        {
            concertOfHold[holdId] = concertId;
        }
    }

    public async Task<Guid?> ConcertOfAsync(Guid holdId, CancellationToken cancellationToken)
    {
        if (concertOfHold.TryGetValue(holdId, out var concertId))
        {
            return concertId;
        }

        await using var session = sessions.QuerySession();
        return (await session.LoadAsync<Hold>(holdId, cancellationToken))?.ConcertId;
    }
}
