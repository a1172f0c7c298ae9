using System.Diagnostics;
using System.Text.Json;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Telemetry;

namespace Ticketing.ServiceDefaults.Messaging;

/// <summary>Says which integration messages, if any, a service's domain event becomes.</summary>
public interface IIntegrationEventMapper
{
    IEnumerable<object> ToIntegrationMessages(IEvent domainEvent);
}

/// <summary>
/// The outbox: a Marten event subscription that publishes integration messages for committed domain events.
/// Events are the outbox rows, so nothing can commit without its message, and a message is never published
/// for a change that rolled back. The daemon records its progress only after a page was published, so a crash
/// between commit and publish means the page is published again after restart (at least once; the message id
/// is the event id, which consumers use to drop duplicates). While the broker is unreachable the relay keeps
/// retrying with back-off; the events wait in PostgreSQL.
/// </summary>
public sealed partial class IntegrationEventRelay : SubscriptionBase
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly IBus bus;
    private readonly IIntegrationEventMapper mapper;
    private readonly ILogger<IntegrationEventRelay> logger;

    public IntegrationEventRelay(IBus bus, IIntegrationEventMapper mapper, ILogger<IntegrationEventRelay> logger)
    {
        this.bus = bus;
        this.mapper = mapper;
        this.logger = logger;
        Name = "integration-event-relay";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        // Order matters within a stream (published before cancelled), not across streams.
        var streams = page.Events.GroupBy(e => e.StreamId);
        await Parallel.ForEachAsync(
            streams,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (stream, token) =>
            {
                foreach (var domainEvent in stream)
                {
                    var index = 0;
                    foreach (var message in mapper.ToIntegrationMessages(domainEvent))
                    {
                        await PublishUntilAcceptedAsync(domainEvent, message, MessageId(domainEvent.Id, index++), token);
                    }
                }
            });
        return NullChangeListener.Instance;
    }

    /// <summary>The event id for its first message; for further ones, ids derived from it, stable across replays.</summary>
    private static Guid MessageId(Guid eventId, int index)
    {
        if (index == 0)
        {
            return eventId;
        }

        Span<byte> bytes = stackalloc byte[16];
        eventId.TryWriteBytes(bytes);
        bytes[15] ^= (byte)index;
        return new Guid(bytes);
    }

    private async Task PublishUntilAcceptedAsync(IEvent domainEvent, object message, Guid messageId, CancellationToken cancellationToken)
    {
        using var activity = TelemetryExtensions.Source.StartActivity(
            $"outbox relay {message.GetType().Name}", ActivityKind.Internal, TraceParentOf(domainEvent));
        activity?.SetTag("marten.event.sequence", domainEvent.Sequence);

        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(AttemptTimeout);
                await bus.Publish(message, message.GetType(), context => context.MessageId = messageId, timeout.Token);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogPublishFailed(logger, exception, message.GetType().Name, domainEvent.Sequence, attempt, backoff);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private static ActivityContext TraceParentOf(IEvent domainEvent)
    {
        if (domainEvent.Headers?.TryGetValue(TracingSessionFactory.TraceParentHeader, out var value) == true)
        {
            var traceParent = value is JsonElement { ValueKind: JsonValueKind.String } json ? json.GetString() : value?.ToString();
            if (ActivityContext.TryParse(traceParent, null, out var context))
            {
                return context;
            }
        }

        return default;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Publishing {MessageType} for event #{Sequence} failed (attempt {Attempt}); retrying in {Backoff}")]
    private static partial void LogPublishFailed(
        ILogger logger, Exception exception, string messageType, long sequence, int attempt, TimeSpan backoff);
}
