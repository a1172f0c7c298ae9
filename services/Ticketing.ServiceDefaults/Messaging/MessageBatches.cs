using MassTransit;
using Microsoft.Extensions.Logging;
using Ticketing.Contracts.Messaging;

namespace Ticketing.ServiceDefaults.Messaging;

public static class MessageBatches
{
    /// <summary>Messages of one runtime type as a <see cref="MessageBatch{T}"/>, and the type to publish it as.</summary>
    public static (object Batch, Type BatchType) Wrap(Type messageType, IReadOnlyList<object> messages)
    {
        var typed = Array.CreateInstance(messageType, messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            typed.SetValue(messages[i], i);
        }

        var batchType = typeof(MessageBatch<>).MakeGenericType(messageType);
        return (Activator.CreateInstance(batchType, typed)!, batchType);
    }

    /// <summary>
    /// Publishes answers: those of one type together as one batch (a lone one unwrapped), types side by side.
    /// </summary>
    public static Task PublishAllAsync(this IPublishEndpoint endpoint, IEnumerable<object> messages, CancellationToken cancellationToken) =>
        Task.WhenAll(messages.GroupBy(message => message.GetType()).SelectMany(ofType => ofType.Chunk(IntegrationEventRelay.MaxBatch)).Select(chunk =>
        {
            if (chunk.Length == 1)
            {
                return endpoint.Publish(chunk[0], chunk[0].GetType(), cancellationToken);
            }

            var (batch, batchType) = Wrap(chunk[0].GetType(), chunk);
            return endpoint.Publish(batch, batchType, cancellationToken);
        }));
}

/// <summary>
/// A consumer of messages that come alone or in a <see cref="MessageBatch{T}"/>. Each message is handled on its own
/// (<see cref="HandleAsync"/>; handlers that hand their message to a <c>GroupCommitQueue</c> commit a whole batch
/// together), and the answers of a batch are published together. One message that fails does not fail the others:
/// when some messages of a batch fail, the rest is acknowledged and each failed message is sent back to the queue
/// alone, to be retried, and if need be dead-lettered, on its own. Only when every message fails is the delivery
/// retried as a whole.
/// </summary>
public abstract partial class BatchConsumer<T>(ILogger logger) : IConsumer<T>, IConsumer<MessageBatch<T>>
    where T : class
{
    public async Task Consume(ConsumeContext<T> context)
    {
        await PrepareAsync([context.Message], context.CancellationToken);
        var answers = await HandleAsync(context.Message, context.CancellationToken);
        await context.PublishAllAsync(answers, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<MessageBatch<T>> context)
    {
        var cancellationToken = context.CancellationToken;
        await PrepareAsync(context.Message.Messages, cancellationToken);
        var handled = await Task.WhenAll(context.Message.Messages.Select(async message =>
        {
            try
            {
                return (Message: message, Answers: await HandleAsync(message, cancellationToken), Failure: (Exception?)null);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                return (Message: message, Answers: (IReadOnlyList<object>)[], Failure: exception);
            }
        }));

        var failed = handled.Where(outcome => outcome.Failure is not null).ToList();
        if (failed.Count > 0 && failed.Count == handled.Length)
        {
            throw failed[0].Failure!;
        }

        await context.PublishAllAsync(handled.SelectMany(outcome => outcome.Answers), cancellationToken);
        foreach (var (message, _, failure) in failed)
        {
            LogRequeued(logger, failure!, typeof(T).Name, handled.Length);
            var queue = await context.GetSendEndpoint(context.ReceiveContext.InputAddress);
            await queue.Send(message, cancellationToken);
        }
    }

    /// <summary>
    /// Called once per delivery, before its messages are handled: loads in one round trip what each of them would
    /// otherwise look up on its own. Nothing by default.
    /// </summary>
    protected virtual Task PrepareAsync(IReadOnlyList<T> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handles one message; returns the answers to publish once it is committed.</summary>
    protected abstract Task<IReadOnlyList<object>> HandleAsync(T message, CancellationToken cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "One {MessageType} of a batch of {Count} failed; it goes back to the queue alone")]
    private static partial void LogRequeued(ILogger logger, Exception exception, string messageType, int count);
}
