using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Ledger;

/// <summary>
/// The one writer of a concert's seat ledger on this instance. Commands queue on it (<see cref="GroupCommitQueue{TRequest, TResult}"/>);
/// the commands that waited are decided together on the ledger kept in memory (<see cref="SeatLedgerRules"/>, each
/// seeing the ones decided before it), their changes appended as one event per run of a kind at the version the
/// decisions were made on, with the hold and ticket documents they changed, in one transaction. Answers are given only
/// after the commit.
/// <para>
/// Why nothing is sold twice: the version is the fence. If anything else appended to the ledger meanwhile (another
/// instance's writer), the append fails whole; the ledger is read again and the commands decided again on what is
/// really there. Nothing relies on this writer being the only one; it is what makes holds cheap.
/// </para>
/// </summary>
public sealed partial class SeatLedgerWriter : IAsyncDisposable
{
    private const int MaxAttempts = 8;

    private readonly Guid concertId;
    private readonly Guid streamId;
    private readonly SeatLayout layout;
    private readonly ConcertInventory inventory;
    private readonly ISessionFactory sessions;
    private readonly TicketCodes codes;
    private readonly TimeProvider time;
    private readonly HoldLocator holdLocator;
    private readonly ILogger logger;
    private readonly GroupCommitQueue<LedgerCommand, object> queue;
    private SeatLedger? ledger;
    private SeatLedgerView view;
    private DateTimeOffset syncedAt;

    private SeatLedgerWriter(
        SeatLedger loaded, ConcertInventory inventory, ISessionFactory sessions, TicketCodes codes, TimeProvider time, HoldLocator holdLocator, ILogger logger, int maxBatch)
    {
        concertId = loaded.ConcertId;
        streamId = StreamKeys.SeatLedger(concertId);
        layout = loaded.Layout;
        this.inventory = inventory;
        this.sessions = sessions;
        this.codes = codes;
        this.time = time;
        this.holdLocator = holdLocator;
        this.logger = logger;
        ledger = loaded;
        view = SeatLedgerView.Of(loaded);
        syncedAt = time.GetUtcNow();
        queue = new GroupCommitQueue<LedgerCommand, object>("tickets.seat-ledger", ProcessAsync, maxBatch);
    }

    /// <summary>The concert as published: its seat map, tiers and sale window.</summary>
    public ConcertInventory Inventory => inventory;

    /// <summary>The latest committed picture of the seats on this instance.</summary>
    public SeatLedgerView View => view;

    /// <summary>Raised after each commit that changed the seats (and after reading other instances' changes).</summary>
    public event Action<SeatLedgerView>? Changed;

    public static async Task<SeatLedgerWriter?> LoadAsync(
        Guid concertId, ISessionFactory sessions, TicketCodes codes, TimeProvider time, HoldLocator holdLocator, ILogger logger, int maxBatch, CancellationToken cancellationToken)
    {
        await using var session = sessions.QuerySession();
        if (await session.LoadAsync<ConcertInventory>(concertId, cancellationToken) is not { } inventory)
        {
            return null;
        }

        var ledger = new SeatLedger(SeatLayout.Of(inventory), inventory);
        await CatchUpAsync(session, ledger, cancellationToken);
        holdLocator.Remember(concertId, ledger.Holds.Select(hold => hold.Id));
        return new SeatLedgerWriter(ledger, inventory, sessions, codes, time, holdLocator, logger, maxBatch);
    }

    /// <summary>Decides the command with the others waiting; completes with its answer once committed.</summary>
    public Task<object> DecideAsync(LedgerCommand command, CancellationToken cancellationToken) => queue.SubmitAsync(command, cancellationToken);

    /// <summary>
    /// The seats as of at most <paramref name="maxAge"/> ago: this instance's own writes are seen at once, other
    /// instances' by reading the ledger's newer events (one read shared by every reader waiting).
    /// </summary>
    public async Task<SeatLedgerView> ReadAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - syncedAt > maxAge)
        {
            await DecideAsync(new ReadLedger(), cancellationToken);
        }

        return view;
    }

    public ValueTask DisposeAsync() => queue.DisposeAsync();

    private async Task<IReadOnlyList<object>> ProcessAsync(IReadOnlyList<LedgerCommand> commands, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = ledger ?? await ReloadAsync(cancellationToken);
            ledger = null; // until this group commits, the state in memory may hold decisions that will not
            var startedAt = time.GetUtcNow();
            if (commands.Any(command => command is ReadLedger))
            {
                await using var reading = sessions.QuerySession();
                await CatchUpAsync(reading, current, cancellationToken);
                syncedAt = startedAt;
            }

            var now = time.GetUtcNow();
            var outcomes = new List<object>(commands.Count);
            var changes = new List<object>();
            foreach (var command in commands)
            {
                var decision = SeatLedgerRules.Decide(current, command, now);
                foreach (var change in decision.Changes)
                {
                    current.Apply(change);
                    changes.Add(change);
                }

                outcomes.Add(decision.Outcome);
            }

            if (changes.Count == 0)
            {
                ledger = current;
                Publish(current);
                return outcomes;
            }

            try
            {
                await CommitAsync(current, changes, cancellationToken);
            }
            catch (Exception exception) when (Conflicts.IsConcurrencyConflict(exception) && attempt < MaxAttempts)
            {
                WriteMetrics.Conflict("tickets.seat-ledger");
                LogConflict(logger, concertId, attempt);
                continue;
            }

            ledger = current;
            syncedAt = startedAt;
            holdLocator.Remember(concertId, changes.OfType<PlacedHold>().Select(placed => placed.HoldId));
            Publish(current);
            GiveBackAbandoned(commands, outcomes);
            return outcomes;
        }
    }

    private async Task CommitAsync(SeatLedger current, IReadOnlyList<object> changes, CancellationToken cancellationToken)
    {
        var events = SeatLedgerBatches.ToEvents(concertId, changes);
        await using var session = sessions.OpenSession();
        session.Events.Append(streamId, current.Version + events.Count, events.ToArray());

        var holds = changes.Select(HoldIdOf).OfType<Guid>().Distinct().Select(holdId => Hold.Of(current, current.Hold(holdId)!)).ToArray();
        if (holds.Length > 0)
        {
            session.Store(holds);
        }

        var tickets = changes.SelectMany(TicketIdsOf).Distinct().Select(ticketId => Ticket.Of(current, current.Ticket(ticketId)!, codes)).ToArray();
        if (tickets.Length > 0)
        {
            session.Store(tickets);
        }

        await session.SaveChangesAsync(cancellationToken);
        current.Version += events.Count;
    }

    /// <summary>A hold committed just as its fan's request went away: nobody will pay for it, so it goes back now.</summary>
    private void GiveBackAbandoned(IReadOnlyList<LedgerCommand> commands, IReadOnlyList<object> outcomes)
    {
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is PlaceHold { Requester.IsCancellationRequested: true } place && outcomes[i] is HoldOutcome.Placed placed)
            {
                LogAbandoned(logger, placed.Hold.HoldId, concertId);
                _ = queue.SubmitAsync(new ReleaseHold(placed.Hold.HoldId, place.FanId, ReleaseReasons.Abandoned), CancellationToken.None);
            }
        }
    }

    private void Publish(SeatLedger current)
    {
        if (current.Version != view.Version || current.SalesStopped != view.SalesStopped)
        {
            view = SeatLedgerView.Of(current);
            Changed?.Invoke(view);
        }
    }

    private async Task<SeatLedger> ReloadAsync(CancellationToken cancellationToken)
    {
        await using var session = sessions.QuerySession();
        var fresh = new SeatLedger(layout, inventory);
        await CatchUpAsync(session, fresh, cancellationToken);
        return fresh;
    }

    /// <summary>Folds the ledger's events after the version <paramref name="ledger"/> reflects.</summary>
    private static async Task CatchUpAsync(IQuerySession session, SeatLedger ledger, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(StreamKeys.SeatLedger(ledger.ConcertId), fromVersion: ledger.Version + 1, token: cancellationToken);
        foreach (var stored in events)
        {
            ledger.Apply(stored.Data);
            ledger.Version = stored.Version;
        }
    }

    private static Guid? HoldIdOf(object change) => change switch
    {
        PlacedHold placed => placed.HoldId,
        ReleasedHold released => released.HoldId,
        CheckedOutHold checkedOut => checkedOut.HoldId,
        SoldHold sold => sold.HoldId,
        RefundedHold refunded => refunded.HoldId,
        _ => null,
    };

    private static IEnumerable<Guid> TicketIdsOf(object change) => change switch
    {
        SoldHold sold => sold.Tickets.Select(ticket => ticket.TicketId),
        RefundedHold refunded => refunded.TicketIds,
        CheckedInTicket checkedIn => [checkedIn.TicketId],
        ConcertSalesStopped stopped => stopped.VoidedTicketIds,
        _ => [],
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Concert {ConcertId}: the seat ledger moved on elsewhere (attempt {Attempt}); deciding again on the newer ledger")]
    private static partial void LogConflict(ILogger logger, Guid concertId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold {HoldId} of concert {ConcertId} was committed after its request went away; giving it back")]
    private static partial void LogAbandoned(ILogger logger, Guid holdId, Guid concertId);
}
