using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Bench.Stock;

/// <summary>
/// One <c>ReserveStock</c> request and what came back. Times are <see cref="Stopwatch"/> timestamps:
/// <see cref="StartedAt"/> is when the request was due (the publish call in a burst, the scheduled arrival in
/// an open loop), <see cref="AnsweredAt"/> when the first answer reached the benchmark's handler.
/// </summary>
public sealed class Order(Guid id, string fanId, Guid productId)
{
    private readonly Lock gate = new();

    public Guid Id { get; } = id;
    public string FanId { get; } = fanId;
    public Guid ProductId { get; } = productId;
    public long StartedAt { get; set; }
    public long PublishedAt { get; set; }
    public Exception? PublishError { get; set; }
    public long AnsweredAt { get; private set; }
    public int Answers { get; private set; }
    public bool Reserved { get; private set; }
    public string? RejectionReason { get; private set; }

    /// <summary>An answer that does not fit the request (another fan, product or quantity).</summary>
    public bool Mismatched { get; private set; }

    public TimeSpan Latency => Stopwatch.GetElapsedTime(StartedAt, AnsweredAt);

    /// <summary>Records an answer; true when it is this order's first.</summary>
    internal bool Answer(long at, object answer)
    {
        lock (gate)
        {
            Answers++;
            if (Answers > 1)
            {
                return false;
            }

            AnsweredAt = at;
            switch (answer)
            {
                case StockReserved reserved:
                    Reserved = true;
                    Mismatched = reserved.FanId != FanId
                        || reserved.Lines is not [{ Quantity: 1 } line] || line.ProductId != ProductId;
                    break;
                case StockReservationRejected rejected:
                    RejectionReason = rejected.Reason;
                    Mismatched = rejected.FanId != FanId;
                    break;
            }

            return true;
        }
    }
}

/// <summary>The orders of one phase, and a task that completes when every one of them has an answer.</summary>
public sealed class Phase(IReadOnlyList<Order> orders)
{
    private readonly TaskCompletionSource allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int answered;

    public IReadOnlyList<Order> Orders { get; } = orders;
    public Task AllAnswered => allAnswered.Task;
    public int Answered => Volatile.Read(ref answered);

    internal void FirstAnswer()
    {
        if (Interlocked.Increment(ref answered) == Orders.Count)
        {
            allAnswered.TrySetResult();
        }
    }
}

/// <summary>
/// Every order the benchmark sent, by id, so that the answer handler (on the bus's threads) finds its order.
/// Answers to orders the benchmark did not send (another run, a test: every answer is published) are ignored.
/// </summary>
public sealed class AnswerBook
{
    private readonly ConcurrentDictionary<Guid, (Order Order, Phase Phase)> orders = new();

    public Phase Begin(IReadOnlyList<Order> phaseOrders)
    {
        var phase = new Phase(phaseOrders);
        foreach (var order in phaseOrders)
        {
            orders[order.Id] = (order, phase);
        }

        return phase;
    }

    public void Record(Guid orderId, object answer)
    {
        var at = Stopwatch.GetTimestamp();
        if (orders.TryGetValue(orderId, out var entry) && entry.Order.Answer(at, answer))
        {
            entry.Phase.FirstAnswer();
        }
    }
}
