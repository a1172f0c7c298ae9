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
/// between commit and publish means the page is published again after restart (at least once; message ids are
/// derived from event ids, and consumers are idempotent per message). While the broker is unreachable the relay
/// keeps retrying with back-off; the events wait in PostgreSQL.
/// <para>
/// The messages of one page that share a type leave as one <see cref="MessageBatch{T}"/> (in the order of their
/// events; a type with a single message in the page goes unwrapped), so a drop costs the broker and every consumer
/// one delivery per page and type instead of one per message.
/// </para>
/// </summary>
public sealed partial class IntegrationEventRelay : SubscriptionBase
{
    /// <summary>The subscription's name, the start of its shard's name in Marten's progress table.</summary>
    public const string SubscriptionName = "integration-event-relay";

    /// <summary>The most messages in one batch.</summary>
    public const int MaxBatch = 256;

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly IBus bus;
    private readonly IIntegrationEventMapper mapper;
    private readonly OutboxMetrics metrics;
    private readonly ILogger<IntegrationEventRelay> logger;

    public IntegrationEventRelay(IBus bus, IIntegrationEventMapper mapper, OutboxMetrics metrics, ILogger<IntegrationEventRelay> logger)
    {
        this.bus = bus;
        this.mapper = mapper;
        this.metrics = metrics;
        this.logger = logger;
        Name = SubscriptionName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        var outgoing = page.Events
            .SelectMany(domainEvent => mapper.ToIntegrationMessages(domainEvent)
                .Select((message, index) => new Outgoing(domainEvent, message, MessageId(domainEvent.Id, index))))
            .ToList();

        // Each type's messages stay in event order (one batch after the other); different types go out side by side.
        await Task.WhenAll(outgoing.GroupBy(item => item.Message.GetType()).Select(async ofType =>
        {
            foreach (var chunk in ofType.Chunk(MaxBatch))
            {
                await PublishUntilAcceptedAsync(ofType.Key, chunk, cancellationToken);
            }
        }));
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
        var tail = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes[12..], tail ^ index);
        return new Guid(bytes);
    }

    private async Task PublishUntilAcceptedAsync(Type messageType, IReadOnlyList<Outgoing> chunk, CancellationToken cancellationToken)
    {
        var (message, publishedType) = chunk.Count == 1
            ? (chunk[0].Message, messageType)
            : MessageBatches.Wrap(messageType, chunk.Select(item => item.Message).ToList());
        var first = chunk[0];
        using var activity = TelemetryExtensions.Source.StartActivity(
            $"outbox relay {messageType.Name}",
            ActivityKind.Internal,
            TraceParentOf(first.Event),
            links: chunk.Skip(1).Select(item => TraceParentOf(item.Event)).Where(context => context != default).Distinct().Select(context => new ActivityLink(context)));
        activity?.SetTag("marten.event.sequence", first.Event.Sequence);
        activity?.SetTag("messaging.batch.message_count", chunk.Count);

        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(AttemptTimeout);
                // A publish whose broker confirmation never comes (RabbitMQ.Client 7.2 can leave one waiting for good when
                // the broker restarts mid-publish, whatever the token says) is given up after the attempt's time-out and
                // sent again: the copy has the same message id, and consumers are idempotent. Else one hung publish would
                // stop this service's relay, and every message after it, until the process restarts.
                await bus.Publish(message, publishedType, context => context.MessageId = first.MessageId, timeout.Token)
                    .WaitAsync(AttemptTimeout, cancellationToken);
                metrics.Published(messageType.Name, chunk.Count);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.PublishFailed(messageType.Name);
                LogPublishFailed(logger, exception, messageType.Name, chunk.Count, first.Event.Sequence, attempt, backoff);
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

    private sealed record Outgoing(IEvent Event, object Message, Guid MessageId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Publishing {Count} {MessageType} from event #{Sequence} failed (attempt {Attempt}); retrying in {Backoff}")]
    private static partial void LogPublishFailed(
        ILogger logger, Exception exception, string messageType, int count, long sequence, int attempt, TimeSpan backoff);
}
