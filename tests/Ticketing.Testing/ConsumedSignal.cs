using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Contracts.Messaging;

namespace Ticketing.Testing;

/// <summary>
/// Completes when a service under test has finished consuming the messages a test is waiting for (alone or in a
/// batch): the signal that something was handled, so that a test can then check that it changed nothing, instead of
/// sleeping and hoping it was. Create it before publishing.
/// </summary>
public sealed class ConsumedSignal<T> : IConsumeObserver, IDisposable
    where T : class
{
    private readonly Func<T, bool> match;
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConnectHandle handle;
    private int remaining;

    private ConsumedSignal(IServiceProvider services, Func<T, bool> match, int count)
    {
        this.match = match;
        remaining = count;
        handle = services.GetRequiredService<IBus>().ConnectConsumeObserver(this);
    }

    /// <summary>Waits for <paramref name="count"/> matching messages consumed by the service whose services these are.</summary>
    public static ConsumedSignal<T> On(IServiceProvider services, Func<T, bool> match, int count = 1) => new(services, match, count);

    public Task WaitAsync(TimeSpan? timeout = null) => done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    public Task PreConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class => Task.CompletedTask;

    public Task PostConsume<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class
    {
        var matching = context.Message switch
        {
            T message when match(message) => 1,
            MessageBatch<T> batch => batch.Messages.Count(match),
            _ => 0,
        };
        if (matching > 0 && Interlocked.Add(ref remaining, -matching) <= 0)
        {
            done.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<TMessage>(ConsumeContext<TMessage> context, Exception exception)
        where TMessage : class => Task.CompletedTask;

    public void Dispose() => handle.Disconnect();
}
