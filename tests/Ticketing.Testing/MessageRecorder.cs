using MassTransit;
using Ticketing.Contracts.Messaging;

namespace Ticketing.Testing;

/// <summary>
/// A bus of the test's own on the test class's virtual host: it records every message of the types asked for, alone
/// or in a batch (on a temporary queue, so it never competes with the services' consumers) and can publish like a
/// service.
/// </summary>
public sealed class MessageRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(object Message, Guid? MessageId)> received = new();
    private readonly IBusControl bus;

    private MessageRecorder(Uri amqp, IReadOnlyList<Action<IReceiveEndpointConfigurator, MessageRecorder>> handlers)
    {
        var parts = amqp.UserInfo.Split(':', 2);
        bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(amqp.Host, (ushort)amqp.Port, Uri.UnescapeDataString(amqp.AbsolutePath.Trim('/')), host =>
            {
                host.Username(Uri.UnescapeDataString(parts[0]));
                host.Password(Uri.UnescapeDataString(parts[1]));
            });
            rabbit.ReceiveEndpoint($"test-recorder-{Guid.NewGuid():N}", endpoint =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator queue)
                {
                    queue.AutoDelete = true;
                    queue.Durable = false;
                }

                foreach (var handler in handlers)
                {
                    handler(endpoint, this);
                }
            });
        });
    }

    public IPublishEndpoint Publisher => bus;

    public static async Task<MessageRecorder> StartAsync(Uri amqp, params Type[] messageTypes)
    {
        var handlers = messageTypes
            .Select(type => (Action<IReceiveEndpointConfigurator, MessageRecorder>)typeof(MessageRecorder)
                .GetMethod(nameof(Subscribe), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type)
                .CreateDelegate(typeof(Action<IReceiveEndpointConfigurator, MessageRecorder>)))
            .ToList();
        var recorder = new MessageRecorder(amqp, handlers);
        // Start-up's budget, as for the services: the broker's first declarations wait behind whatever the box is doing.
        using var patience = new CancellationTokenSource(PlatformFixture.ReadyTimeout);
        await recorder.bus.StartAsync(patience.Token);
        return recorder;
    }

    /// <summary>Records the messages of type <typeparamref name="T"/>, whether they come alone or in a batch.</summary>
    private static void Subscribe<T>(IReceiveEndpointConfigurator endpoint, MessageRecorder recorder) where T : class
    {
        endpoint.Handler<T>(context =>
        {
            recorder.received.Enqueue((context.Message, context.MessageId));
            return Task.CompletedTask;
        });
        endpoint.Handler<MessageBatch<T>>(context =>
        {
            foreach (var message in context.Message.Messages)
            {
                recorder.received.Enqueue((message, context.MessageId));
            }

            return Task.CompletedTask;
        });
    }

    public IReadOnlyList<T> All<T>() => received.Select(entry => entry.Message).OfType<T>().ToList();

    public IReadOnlyList<(T Message, Guid? MessageId)> AllWithIds<T>() =>
        received.Where(entry => entry.Message is T).Select(entry => ((T)entry.Message, entry.MessageId)).ToList();

    /// <summary>Waits until a recorded message matches, and returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (All<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No {typeof(T).Name} matching the condition arrived within {timeout ?? TimeSpan.FromSeconds(60)}.");
    }

    /// <summary>Waits until a recorded message of either type matches (an answer that is one or the other), and returns it.</summary>
    public Task<object> WaitForEitherAsync<TFirst, TSecond>(Func<TFirst, bool> first, Func<TSecond, bool> second, TimeSpan? timeout = null) =>
        Polling.ValueAsync(
            () => Task.FromResult((object?)All<TFirst>().FirstOrDefault(first) ?? All<TSecond>().FirstOrDefault(second)),
            timeout ?? TimeSpan.FromSeconds(60), $"A {typeof(TFirst).Name} or {typeof(TSecond).Name} matching the condition", TimeSpan.FromMilliseconds(25));

    /// <summary>Waits until <paramref name="count"/> recorded messages match.</summary>
    public async Task<IReadOnlyList<T>> WaitForCountAsync<T>(Func<T, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var found = All<T>().Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Fewer than {count} {typeof(T).Name} arrived within {timeout ?? TimeSpan.FromSeconds(30)} ({All<T>().Count(match)}).");
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
