using Marten;
using JasperFx;
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
/// </summary>
public sealed class IntegrationEventRecorder(ISessionFactory sessions, TimeProvider time, InsightsMetrics metrics)
{
    public async Task RecordAsync(string factKey, object integrationEvent, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        // Checked first so that an ordinary redelivery does not even open a write; the unique ids still decide
        // when two copies race.
        if (await session.LoadAsync<RecordedFact>(factKey, cancellationToken) is not null)
        {
            metrics.DuplicateIgnored(integrationEvent.GetType().Name);
            return;
        }

        var streamId = StreamId(factKey);
        session.Insert(new RecordedFact(factKey, integrationEvent.GetType().Name, streamId, time.GetUtcNow()));
        session.Events.StartStream(streamId, integrationEvent);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            metrics.Recorded(integrationEvent.GetType().Name);
        }
        catch (Exception exception) when (IsDuplicate(exception))
        {
            metrics.DuplicateIgnored(integrationEvent.GetType().Name);
        }
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
}
