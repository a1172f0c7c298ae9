using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ticketing.Bench.MerchDrop;

/// <summary>One final message of an order: when it reached the benchmark, which one, and why (cancellations).</summary>
public sealed record FinalMessage(long ReceivedAt, bool Confirmed, string? Reason, string FanId);

/// <summary>
/// Every <c>OrderConfirmed</c> and <c>OrderCancelled</c> the benchmark's queue receives, by order id. The
/// messages are recorded whatever order they name (an order's final message can arrive before its 202 has
/// been read); the run picks its own orders afterwards.
/// </summary>
public sealed class FinalBook
{
    private readonly ConcurrentDictionary<Guid, List<FinalMessage>> messages = new();
    private int received;

    public int Received => Volatile.Read(ref received);

    public void Record(Guid orderId, bool confirmed, string? reason, string fanId)
    {
        var message = new FinalMessage(Stopwatch.GetTimestamp(), confirmed, reason, fanId);
        var list = messages.GetOrAdd(orderId, _ => []);
        lock (list)
        {
            list.Add(message);
        }

        Interlocked.Increment(ref received);
    }

    /// <summary>The final messages of an order so far, first first.</summary>
    public IReadOnlyList<FinalMessage> Of(Guid orderId)
    {
        if (!messages.TryGetValue(orderId, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.ToList();
        }
    }

    public bool HasFinal(Guid orderId) => messages.ContainsKey(orderId);
}
