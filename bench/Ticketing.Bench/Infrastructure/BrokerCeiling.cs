using System.Diagnostics;
using MassTransit;

namespace Ticketing.Bench.Infrastructure;

/// <summary>A message of no meaning, for <see cref="BrokerCeiling"/>.</summary>
public sealed record BenchPing(Guid RunId, int Sequence);

/// <summary>Publishing and consuming N messages in one process: publish all (confirms on), consume with a no-op.</summary>
public sealed record BrokerCeilingResult(int Messages, TimeSpan PublishedAfter, TimeSpan ConsumedAfter, int PrefetchCount, int ConcurrentMessageLimit)
{
    public double PublishRate => Stats.Rate(Messages, PublishedAfter);

    /// <summary>Messages published and consumed per second: N / time from the first publish to the last consume.</summary>
    public double Rate => Stats.Rate(Messages, ConsumedAfter);
}

/// <summary>
/// The broker's own rate on this box, measured in the same run as the system: a temporary auto-delete queue
/// connected to the benchmark's running bus, bound to <see cref="BenchPing"/>'s exchange, consumed by a handler
/// that does nothing. All N messages are published at once, as the benchmark's requests are.
/// </summary>
public static class BrokerCeiling
{
    public static async Task<BrokerCeilingResult> MeasureAsync(
        IBus bus, int messages, int prefetchCount, int concurrentMessageLimit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid();
        var consumed = 0;
        var allConsumed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint($"bench-ceiling-{runId:N}", endpoint =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator queue)
            {
                queue.AutoDelete = true;
                queue.Durable = false;
                queue.PrefetchCount = (ushort)prefetchCount;
            }

            endpoint.ConcurrentMessageLimit = concurrentMessageLimit;
            endpoint.Handler<BenchPing>(context =>
            {
                if (context.Message.RunId == runId && Interlocked.Increment(ref consumed) == messages)
                {
                    allConsumed.TrySetResult(Stopwatch.GetTimestamp());
                }

                return Task.CompletedTask;
            });
        });

        try
        {
            await handle.Ready.WaitAsync(timeout, cancellationToken);
            var start = Stopwatch.GetTimestamp();
            var publishes = new Task[messages];
            for (var i = 0; i < messages; i++)
            {
                publishes[i] = bus.Publish(new BenchPing(runId, i), cancellationToken);
            }

            await Task.WhenAll(publishes).WaitAsync(timeout, cancellationToken);
            var published = Stopwatch.GetTimestamp();
            var done = await allConsumed.Task.WaitAsync(timeout, cancellationToken);
            return new BrokerCeilingResult(
                messages, Stopwatch.GetElapsedTime(start, published), Stopwatch.GetElapsedTime(start, done), prefetchCount, concurrentMessageLimit);
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }
    }
}
