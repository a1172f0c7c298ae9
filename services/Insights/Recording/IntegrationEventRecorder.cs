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
/// Stores every integration event Insights consumes as a Marten event, exactly once per fact, in one stream per
/// concert, product or order. The read models are projections of these events only, so rebuilding a projection from
/// zero gives the same numbers, and a duplicate changes none.
/// </summary>
public sealed class IntegrationEventRecorder(ISessionFactory sessions, TimeProvider time, InsightsMetrics metrics)
{
    public async Task RecordAsync(Guid streamId, string factKey, object integrationEvent, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        // Checked first so that an ordinary redelivery does not even open a write; the unique id still decides
        // when two copies race.
        if (await session.LoadAsync<RecordedFact>(factKey, cancellationToken) is not null)
        {
            metrics.DuplicateIgnored(integrationEvent.GetType().Name);
            return;
        }

        session.Insert(new RecordedFact(factKey, integrationEvent.GetType().Name, streamId, time.GetUtcNow()));
        session.Events.Append(streamId, integrationEvent);
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

    private static bool IsDuplicate(Exception exception) => exception switch
    {
        DocumentAlreadyExistsException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        { InnerException: { } inner } => IsDuplicate(inner),
        _ => false,
    };
}
