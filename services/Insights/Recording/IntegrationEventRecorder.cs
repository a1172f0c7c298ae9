using System.Threading.Channels;
using JasperFx;
using Marten;
using Npgsql;
using Ticketing.Insights.Metrics;

namespace Ticketing.Insights.Recording;

/// <summary>
/// Marks a fact as recorded: its id is the fact's own identity (e.g. <c>order-confirmed:{orderId}</c>), so a message
/// delivered twice, or published twice by a service that answered again after a crash, is recorded once.
/// </summary>
public sealed record RecordedFact(string Id, string MessageType, Guid StreamId, DateTimeOffset RecordedAt);

/// <summary>
/// Stores every integration event Insights consumes as a Marten event, exactly once per fact: each fact is its own
/// one-event stream, whose id is derived from the fact's identity, with a <see cref="RecordedFact"/> beside it in
/// the same transaction. Concurrent messages never append to one stream, so there are no version conflicts (and no
/// rolled-back sequence numbers for the async daemon to wait on); the projections gather the facts by concert,
/// product or order. Rebuilding a projection from zero gives the same numbers, and a duplicate changes none.
/// <para>
/// Commits are grouped: the facts that the consumers hand in while one commit is running are written together by
/// the next (one read of which are already recorded, one transaction), and each consumer's call returns when its
/// fact is committed, so a message is acknowledged only after what it says is stored. If a group loses a race with
/// a copy of one of its facts (two instances given the same message), its facts are written again one by one.
/// </para>
/// </summary>
public sealed partial class IntegrationEventRecorder(
    ISessionFactory sessions, TimeProvider time, InsightsMetrics metrics, ILogger<IntegrationEventRecorder> logger) : BackgroundService
{
    private const int MaxGroup = 256;

    private readonly Channel<PendingFact> pending = Channel.CreateUnbounded<PendingFact>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Records the fact once; returns when it is committed (or was recorded before).</summary>
    public Task RecordAsync(string factKey, object integrationEvent, CancellationToken cancellationToken)
    {
        var fact = new PendingFact(factKey, integrationEvent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!pending.Writer.TryWrite(fact))
        {
            throw new OperationCanceledException("Insights is stopping; the message will be delivered again.");
        }

        return fact.Recorded.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A stable stream id for a fact key (a name-based UUID, the same on every instance and replay).</summary>
    public static Guid StreamId(string factKey)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ticketing-insights:" + factKey));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5 style
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingFact>(MaxGroup);
        try
        {
            while (await pending.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                while (group.Count < MaxGroup && pending.Reader.TryRead(out var fact))
                {
                    group.Add(fact);
                }

                try
                {
                    await RecordGroupAsync(group, stoppingToken);
                }
                catch (Exception exception) when (group.Count > 1 && IsDuplicate(exception))
                {
                    foreach (var fact in group)
                    {
                        await RecordOneByOneAsync(fact, stoppingToken);
                    }
                }
                catch (Exception exception)
                {
                    // The consumers fail, and the bus retries their messages.
                    LogGroupFailed(logger, exception, group.Count);
                    group.ForEach(fact => fact.Recorded.TrySetException(exception));
                }
            }
        }
        finally
        {
            pending.Writer.TryComplete();
            while (pending.Reader.TryRead(out var fact))
            {
                fact.Recorded.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task RecordGroupAsync(IReadOnlyList<PendingFact> group, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var keys = group.Select(fact => fact.Key).Distinct().ToArray();
        var recorded = (await session.LoadManyAsync<RecordedFact>(cancellationToken, keys)).Select(fact => fact.Id).ToHashSet();
        var now = time.GetUtcNow();
        var fresh = new HashSet<PendingFact>(ReferenceEqualityComparer.Instance);
        foreach (var fact in group)
        {
            if (recorded.Add(fact.Key))
            {
                var streamId = StreamId(fact.Key);
                session.Insert(new RecordedFact(fact.Key, fact.Event.GetType().Name, streamId, now));
                session.Events.StartStream(streamId, fact.Event);
                fresh.Add(fact);
            }
        }

        if (fresh.Count > 0)
        {
            await session.SaveChangesAsync(cancellationToken);
        }

        foreach (var fact in group)
        {
            if (fresh.Contains(fact))
            {
                metrics.Recorded(fact.Event.GetType().Name);
            }
            else
            {
                metrics.DuplicateIgnored(fact.Event.GetType().Name);
            }

            fact.Recorded.TrySetResult();
        }
    }

    private async Task RecordOneByOneAsync(PendingFact fact, CancellationToken cancellationToken)
    {
        try
        {
            await RecordGroupAsync([fact], cancellationToken);
        }
        catch (Exception exception) when (IsDuplicate(exception))
        {
            metrics.DuplicateIgnored(fact.Event.GetType().Name);
            fact.Recorded.TrySetResult();
        }
        catch (Exception exception)
        {
            fact.Recorded.TrySetException(exception);
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a group of {Count} integration events failed; their messages will be retried")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    private sealed record PendingFact(string Key, object Event, TaskCompletionSource Recorded);
}
