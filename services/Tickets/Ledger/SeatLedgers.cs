using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;

namespace Ticketing.Tickets.Ledger;

/// <summary>
/// The seat ledger writers of this instance, one per concert, created (the ledger read from its stream) when the
/// concert is first needed. A concert that is not published yet has none: a miss is not remembered, since the
/// inventory may be built a moment later. A writer nobody has used for <see cref="SeatLedgerOptions.IdleAfter"/> is
/// forgotten (<see cref="ForgetIdle"/>): a long-running instance keeps the concerts on sale now, not every concert
/// it ever served, and a forgotten concert's next request reads its ledger again.
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
    private readonly ConcurrentDictionary<Guid, LoadedLedger> writers = new();

    /// <summary>The concert's writer, or null when the concert has no inventory here (unknown, or not published yet).</summary>
    public async Task<SeatLedgerWriter?> GetAsync(Guid concertId, CancellationToken cancellationToken)
    {
        var entry = writers.GetOrAdd(concertId, id => new LoadedLedger(new Lazy<Task<SeatLedgerWriter?>>(() => CreateAsync(id))));
        entry.Touch(time);
        try
        {
            var writer = await entry.Writer.Value.WaitAsync(cancellationToken);
            if (writer is null)
            {
                writers.TryRemove(KeyValuePair.Create(concertId, entry));
            }

            return writer;
        }
        catch (Exception) when (entry.Writer.Value.IsFaulted)
        {
            writers.TryRemove(KeyValuePair.Create(concertId, entry));
            throw;
        }
    }

    /// <summary>The writers loaded so far (for the seat gauges).</summary>
    public IEnumerable<SeatLedgerWriter> Loaded => writers.Values.Select(entry => entry.Loaded).OfType<SeatLedgerWriter>();

    /// <summary>The writer of the concert that <paramref name="holdId"/> belongs to, or null for an unknown hold.</summary>
    public async Task<SeatLedgerWriter?> OfHoldAsync(Guid holdId, CancellationToken cancellationToken) =>
        await holdLocator.ConcertOfAsync(holdId, cancellationToken) is { } concertId ? await GetAsync(concertId, cancellationToken) : null;

    /// <summary>
    /// Forgets the writers nobody has asked for in <paramref name="idleAfter"/> and returns their concerts. A forgotten
    /// writer is not stopped: a caller that took it a moment before still decides on it, and the ledger's version fences
    /// it against the writer that replaces it, as against another instance's. Once nobody holds it, it is collected.
    /// </summary>
    public IReadOnlyList<Guid> ForgetIdle(TimeSpan idleAfter)
    {
        var forgotten = new List<Guid>();
        var now = time.GetUtcNow().UtcTicks;
        foreach (var (concertId, entry) in writers)
        {
            if (entry.Loaded is not null && now - entry.UsedAt >= idleAfter.Ticks && writers.TryRemove(KeyValuePair.Create(concertId, entry)))
            {
                forgotten.Add(concertId);
            }
        }

        return forgotten;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in Loaded)
        {
            await writer.DisposeAsync();
        }
    }

    private Task<SeatLedgerWriter?> CreateAsync(Guid concertId) =>
        // Shared by every caller waiting for it: it runs to the end whatever one caller's token says.
        SeatLedgerWriter.LoadAsync(
            concertId, sessions, codes, time, holdLocator, logger, options.Value.MaxBatch, lifetime.ApplicationStopping);

    /// <summary>A concert's writer (once loaded) and when it was last asked for.</summary>
    private sealed class LoadedLedger(Lazy<Task<SeatLedgerWriter?>> writer)
    {
        private long usedAt;

        public Lazy<Task<SeatLedgerWriter?>> Writer => writer;

        public long UsedAt => Volatile.Read(ref usedAt);

        public SeatLedgerWriter? Loaded => writer is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } ? writer.Value.Result : null;

        public void Touch(TimeProvider time) => Volatile.Write(ref usedAt, time.GetUtcNow().UtcTicks);
    }
}

/// <summary>
/// Which concert a hold belongs to: remembered for the holds this instance's writers placed or read lately, else read
/// from the hold's document (older holds, and holds placed by another instance). What is remembered is kept in two
/// generations of <see cref="Generation"/>: the older one is dropped when a new one starts, so a long-running instance
/// holds the last hour's holds at most (those that are still paid, confirmed or released), not every hold it ever saw.
/// </summary>
public sealed class HoldLocator(ISessionFactory sessions, TimeProvider time)
{
    public static readonly TimeSpan Generation = TimeSpan.FromMinutes(30);

    private readonly Lock rotation = new();
    private ConcurrentDictionary<Guid, Guid> current = new();
    private ConcurrentDictionary<Guid, Guid> previous = new();
    private long nextGenerationAt = (time.GetUtcNow() + Generation).UtcTicks;

    /// <summary>How many holds are remembered now (both generations).</summary>
    public int Remembered => Volatile.Read(ref current).Count + Volatile.Read(ref previous).Count;

    public void Remember(Guid concertId, IEnumerable<Guid> holdIds)
    {
        var remembered = Current();
        foreach (var holdId in holdIds)
        {
            remembered[holdId] = concertId;
        }
    }

    public async Task<Guid?> ConcertOfAsync(Guid holdId, CancellationToken cancellationToken)
    {
        if (Current().TryGetValue(holdId, out var concertId) || Volatile.Read(ref previous).TryGetValue(holdId, out concertId))
        {
            return concertId;
        }

        await using var session = sessions.QuerySession();
        return (await session.LoadAsync<Hold>(holdId, cancellationToken))?.ConcertId;
    }

    /// <summary>The generation now, starting a new one (and dropping the older) when its time has come.</summary>
    private ConcurrentDictionary<Guid, Guid> Current()
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now >= Volatile.Read(ref nextGenerationAt))
        {
            lock (rotation)
            {
                if (now >= nextGenerationAt)
                {
                    Volatile.Write(ref previous, current);
                    Volatile.Write(ref current, new ConcurrentDictionary<Guid, Guid>());
                    Volatile.Write(ref nextGenerationAt, now + Generation.Ticks);
                }
            }
        }

        return Volatile.Read(ref current);
    }
}
