using JasperFx;
using Marten;
using Npgsql;
using Ticketing.Insights.Metrics;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Insights.Recording;

/// <summary>
/// Stores every integration event Insights consumes as a Marten event, exactly once per fact: an event's id is made
/// from the fact's own identity (e.g. <c>order-confirmed:{orderId}</c>, <see cref="FactKeys"/>,
/// <see cref="FactKey.Id"/>) and the events table has a unique index on the id, so a message delivered twice, or
/// published twice by a service that answered again after a crash, is stored once, with no row beside the event to say so. The new facts of a commit are the events of
/// one new stream: concurrent commits never append to one stream, so there are no version conflicts (and no
/// rolled-back sequence numbers for the async daemon to wait on); the projections gather the facts by concert,
/// product or order. Rebuilding a projection from zero gives the same numbers, and a duplicate changes none.
/// <para>
/// Commits are grouped (<see cref="GroupCommitQueue{TRequest, TResult}"/>): the facts that the consumers hand in while
/// one commit is running are written together by the next (one read of which are already stored, one transaction),
/// and each consumer's call returns when its fact is committed, so a message is acknowledged only after what it says
/// is stored. If a group loses a race with a copy of one of its facts (two instances given the same message), its
/// facts are written again one by one.
/// </para>
/// <para>
/// Versions before 2026-12-04 named every fact by the hash of its key alone (<see cref="FactKey.HashedId"/>). A fact
/// about a subject made before this instance started may have been recorded by one of them, so it is looked for under
/// both ids; the facts of a drop's new holds and orders are looked for only under their time-ordered ids. An instance
/// of such a version must not run beside this one (README, upgrading): it would not find what this one stores.
/// </para>
/// </summary>
public sealed class IntegrationEventRecorder : IAsyncDisposable
{
    private const int MaxGroup = 256;

    /// <summary>
    /// Leeway for the clocks of the services that make the subjects' ids and of this instance (NTP keeps them within a
    /// second): the facts of subjects made in the first ten minutes after the start are looked for under both ids too,
    /// which costs a look-up that may read the disk on a grown database, and nothing after.
    /// </summary>
    private static readonly TimeSpan ClockLeeway = TimeSpan.FromMinutes(10);

    private readonly ISessionFactory sessions;
    private readonly InsightsMetrics metrics;
    private readonly GroupCommitQueue<Fact, bool> facts;
    private readonly DateTimeOffset hashedIdsBefore;

    public IntegrationEventRecorder(ISessionFactory sessions, InsightsMetrics metrics, TimeProvider time)
    {
        this.sessions = sessions;
        this.metrics = metrics;
        hashedIdsBefore = time.GetUtcNow() + ClockLeeway;
        facts = new GroupCommitQueue<Fact, bool>("insights.facts", RecordAsync, MaxGroup);
    }

    /// <summary>Records the fact once; returns when it is committed (or was recorded before).</summary>
    public Task RecordAsync(FactKey factKey, object integrationEvent, CancellationToken cancellationToken) =>
        facts.SubmitAsync(new Fact(factKey, integrationEvent), cancellationToken);

    public ValueTask DisposeAsync() => facts.DisposeAsync();

    private async Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<Fact> group, CancellationToken cancellationToken)
    {
        try
        {
            await RecordGroupAsync(group, cancellationToken);
        }
        catch (Exception exception) when (IsDuplicate(exception))
        {
            foreach (var fact in group)
            {
                try
                {
                    await RecordGroupAsync([fact], cancellationToken);
                }
                catch (Exception again) when (IsDuplicate(again))
                {
                    metrics.DuplicateIgnored(fact.Event.GetType().Name);
                }
            }
        }

        return [.. group.Select(_ => true)];
    }

    private async Task RecordGroupAsync(IReadOnlyList<Fact> group, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var ids = group.SelectMany(fact => fact.MayBeStoredUnderHash(hashedIdsBefore) ? [fact.Id, fact.HashedId] : new[] { fact.Id })
            .Distinct()
            .ToArray();
        var stored = (await session.Events.QueryAllRawEvents().Where(stored => stored.Id.IsOneOf(ids)).ToListAsync(cancellationToken))
            .Select(stored => stored.Id)
            .ToHashSet();
        var fresh = new List<Fact>();
        var duplicates = new List<Fact>();
        foreach (var fact in group)
        {
            (stored.Contains(fact.HashedId) || !stored.Add(fact.Id) ? duplicates : fresh).Add(fact);
        }

        if (fresh.Count > 0)
        {
            // The group's new facts are the events of one stream of their own: concurrent groups never append to the
            // same stream, so there are no version conflicts (nor rolled-back sequence numbers for the daemon to wait on).
            session.Events.StartStream(Guid.CreateVersion7(), fresh.Select(fact => (object)fact.ToEvent(session.Events)).ToArray());
            await session.SaveChangesAsync(cancellationToken);
        }

        fresh.ForEach(fact => metrics.Recorded(fact.Event.GetType().Name));
        duplicates.ForEach(fact => metrics.DuplicateIgnored(fact.Event.GetType().Name));
    }

    /// <summary>Only a clash on the fact itself is a duplicate; any other failure is retried by the bus.</summary>
    private static bool IsDuplicate(Exception exception) => exception switch
    {
        JasperFx.Events.ExistingStreamIdCollisionException => true,
        Marten.Exceptions.ExistingStreamIdCollisionException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: { } constraint }
            when constraint.Contains("mt_events", StringComparison.Ordinal) || constraint.Contains("mt_streams", StringComparison.Ordinal) => true,
        { InnerException: { } inner } => IsDuplicate(inner),
        _ => false,
    };

    private sealed record Fact(FactKey Key, object Event)
    {
        private readonly (Guid Id, Guid HashedId) ids = Key.Ids();

        public Guid Id => ids.Id;

        public Guid HashedId => ids.HashedId;

        /// <summary>Whether a version that stored facts under <see cref="HashedId"/> may have recorded this one.</summary>
        public bool MayBeStoredUnderHash(DateTimeOffset hashedIdsBefore) =>
            Id == HashedId || NameBasedIds.CreatedAt(Key.Subject) < hashedIdsBefore;

        public JasperFx.Events.IEvent ToEvent(Marten.Events.IEventStoreOperations events)
        {
            var stored = events.BuildEvent(Event);
            stored.Id = Id;
            return stored;
        }
    }
}
