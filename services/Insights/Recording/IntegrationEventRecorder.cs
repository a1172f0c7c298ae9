using JasperFx;
using Marten;
using Npgsql;
using Ticketing.Insights.Metrics;
using Ticketing.ServiceDefaults.Batching;

namespace Ticketing.Insights.Recording;

/// <summary>
/// Marks a fact as recorded: its id is the fact's own identity (e.g. <c>order-confirmed:{orderId}</c>), so a message
/// delivered twice, or published twice by a service that answered again after a crash, is recorded once.
/// <c>StreamId</c> is the stream of the commit that recorded it.
/// </summary>
public sealed record RecordedFact(string Id, string MessageType, Guid StreamId, DateTimeOffset RecordedAt);

/// <summary>
/// Stores every integration event Insights consumes as a Marten event, exactly once per fact: the new facts of a
/// commit are the events of one new stream, each with a <see cref="RecordedFact"/> (keyed by the fact's identity)
/// beside it in the same transaction. Concurrent commits never append to one stream, so there are no version conflicts
/// (and no rolled-back sequence numbers for the async daemon to wait on); the projections gather the facts by concert,
/// product or order. Rebuilding a projection from zero gives the same numbers, and a duplicate changes none.
/// <para>
/// Commits are grouped (<see cref="GroupCommitQueue{TRequest, TResult}"/>): the facts that the consumers hand in while
/// one commit is running are written together by the next (one read of which are already recorded, one
/// transaction), and each consumer's call returns when its fact is committed, so a message is acknowledged only
/// after what it says is stored. If a group loses a race with a copy of one of its facts (two instances given the
/// same message), its facts are written again one by one.
/// </para>
/// </summary>
public sealed class IntegrationEventRecorder : IAsyncDisposable
{
    private const int MaxGroup = 256;

    private readonly ISessionFactory sessions;
    private readonly TimeProvider time;
    private readonly InsightsMetrics metrics;
    private readonly GroupCommitQueue<Fact, bool> facts;

    public IntegrationEventRecorder(ISessionFactory sessions, TimeProvider time, InsightsMetrics metrics)
    {
        this.sessions = sessions;
        this.time = time;
        this.metrics = metrics;
        facts = new GroupCommitQueue<Fact, bool>("insights.facts", RecordAsync, MaxGroup);
    }

    /// <summary>Records the fact once; returns when it is committed (or was recorded before).</summary>
    public Task RecordAsync(string factKey, object integrationEvent, CancellationToken cancellationToken) =>
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
        var recorded = (await session.LoadManyAsync<RecordedFact>(cancellationToken, group.Select(fact => fact.Key).Distinct().ToArray()))
            .Select(fact => fact.Id)
            .ToHashSet();
        var now = time.GetUtcNow();
        var fresh = new List<Fact>();
        var duplicates = new List<Fact>();
        // The group's new facts are the events of one stream of their own: concurrent groups never append to the same
        // stream, so there are no version conflicts (nor rolled-back sequence numbers for the async daemon to wait on).
        var streamId = Guid.CreateVersion7();
        foreach (var fact in group)
        {
            if (recorded.Add(fact.Key))
            {
                session.Insert(new RecordedFact(fact.Key, fact.Event.GetType().Name, streamId, now));
                fresh.Add(fact);
            }
            else
            {
                duplicates.Add(fact);
            }
        }

        if (fresh.Count > 0)
        {
            session.Events.StartStream(streamId, fresh.Select(fact => fact.Event).ToArray());
            await session.SaveChangesAsync(cancellationToken);
        }

        fresh.ForEach(fact => metrics.Recorded(fact.Event.GetType().Name));
        duplicates.ForEach(fact => metrics.DuplicateIgnored(fact.Event.GetType().Name));
    }

    /// <summary>Only a clash on the fact itself is a duplicate; any other failure is retried by the bus.</summary>
    private static bool IsDuplicate(Exception exception) => exception switch
    {
        DocumentAlreadyExistsException => true,
        JasperFx.Events.ExistingStreamIdCollisionException => true,
        Marten.Exceptions.ExistingStreamIdCollisionException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: { } constraint }
            when constraint.Contains("recordedfact", StringComparison.Ordinal) || constraint.Contains("mt_streams", StringComparison.Ordinal) => true,
        { InnerException: { } inner } => IsDuplicate(inner),
        _ => false,
    };

    private sealed record Fact(string Key, object Event);
}
