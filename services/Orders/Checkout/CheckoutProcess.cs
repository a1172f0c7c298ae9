using JasperFx.Events;
using Marten;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Orders.Checkout;

/// <summary>One answer for an order: what it appends to the order, decided on the order's current state.</summary>
public sealed record CheckoutAnswer(Guid OrderId, Func<Order, DateTimeOffset, IReadOnlyList<object>> Decide);

/// <summary>
/// The checkout process manager. The order's stream is its state: each answer from Tickets or the Catalog is
/// appended to it at the version it was read at. When everything the order needs is held for it, the payment is
/// authorized — idempotently per order, so a retry never charges twice — and the order is confirmed or cancelled
/// in the same transaction. Confirmations and cancellations leave through the outbox to Tickets and the Catalog,
/// which sell or give back what they held.
/// The answers that arrive while one group is being decided are decided together (<see cref="RequestGroups{TRequest, TResult}"/>):
/// all their orders read in one round trip, their payments authorized concurrently, and everything appended in
/// one transaction. A time-out or an operator racing one of the group's orders makes the commit fail; the group
/// is then taken again an order at a time, on fresh state, and an order that still loses its race fails its
/// message, which the bus retries.
/// </summary>
public sealed partial class CheckoutProcess : IAsyncDisposable
{
    /// <summary>The most answers decided in one transaction.</summary>
    public const int MaxGroup = 128;

    private readonly ISessionFactory sessions;
    private readonly IPaymentProcessor payments;
    private readonly TimeProvider time;
    private readonly ILogger<CheckoutProcess> logger;
    private readonly RequestGroups<CheckoutAnswer, bool> waitingAnswers;

    public CheckoutProcess(ISessionFactory sessions, IPaymentProcessor payments, TimeProvider time, ILogger<CheckoutProcess> logger)
    {
        this.sessions = sessions;
        this.payments = payments;
        this.time = time;
        this.logger = logger;
        waitingAnswers = new RequestGroups<CheckoutAnswer, bool>(
            async (group, cancellationToken) =>
            {
                await AdvanceAsync(group, cancellationToken);
                return [.. group.Select(_ => true)];
            },
            MaxGroup);
    }

    /// <summary>Decides <paramref name="answer"/> with the others waiting; returns when it is committed.</summary>
    public Task AnswerAsync(CheckoutAnswer answer, CancellationToken cancellationToken) => waitingAnswers.SubmitAsync(answer, cancellationToken);

    public ValueTask DisposeAsync() => waitingAnswers.DisposeAsync();

    /// <summary>Appends what each answer decides to its Pending order, then pays the orders that are ready. Late or
    /// duplicate answers for an order that is no longer Pending change nothing.</summary>
    private async Task AdvanceAsync(IReadOnlyList<CheckoutAnswer> answers, CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
        {
            return;
        }

        try
        {
            await AdvanceTogetherAsync(answers, cancellationToken);
        }
        catch (Exception exception) when (answers.Select(answer => answer.OrderId).Distinct().Count() > 1 && Conflicts.IsConcurrencyConflict(exception))
        {
            LogGroupConflict(logger, exception, answers.Count);
            foreach (var order in answers.GroupBy(answer => answer.OrderId))
            {
                await AdvanceTogetherAsync(order.ToList(), cancellationToken);
            }
        }
    }

    public Task AdvanceAsync(Guid orderId, Func<Order, DateTimeOffset, IReadOnlyList<object>> decide, CancellationToken cancellationToken) =>
        AdvanceAsync([new CheckoutAnswer(orderId, decide)], cancellationToken);

    private async Task AdvanceTogetherAsync(IReadOnlyList<CheckoutAnswer> answers, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var session = sessions.OpenSession();
        var streams = (await session.Events.FetchManyForWriting<Order>(answers.Select(answer => answer.OrderId).Distinct().ToList(), cancellationToken))
            .ToDictionary(stream => stream.Id);
        var now = time.GetUtcNow();
        var decided = new List<(IEventStream<Order> Stream, Order Order, List<object> Events)>();
        foreach (var answersForOrder in answers.GroupBy(answer => answer.OrderId))
        {
            var stream = streams[answersForOrder.Key];
            if (stream.Aggregate is not { Status: OrderStatus.Pending } order)
            {
                continue;
            }

            var events = new List<object>();
            foreach (var answer in answersForOrder.TakeWhile(_ => order.Status == OrderStatus.Pending))
            {
                var answered = answer.Decide(order, now);
                events.AddRange(answered);
                order = answered.Aggregate(order, (state, @event) => state.Apply(@event));
            }

            if (events.Count > 0)
            {
                decided.Add((stream, order, events));
            }
        }

        if (decided.Count == 0)
        {
            return;
        }

        var read = System.Diagnostics.Stopwatch.GetTimestamp();
        var paid = await Task.WhenAll(decided.Select(change => change.Order.ReadyToPay ? PayAsync(change.Order, now, cancellationToken) : Task.FromResult<IReadOnlyList<object>>([])));
        for (var i = 0; i < decided.Count; i++)
        {
            decided[i].Events.AddRange(paid[i]);
            decided[i].Stream.AppendMany(decided[i].Events);
        }

        var appended = System.Diagnostics.Stopwatch.GetTimestamp();
        await session.SaveChangesAsync(cancellationToken);
        LogGroup(logger, answers.Count, decided.Count, paid.Count(events => events.Count > 0),
            System.Diagnostics.Stopwatch.GetElapsedTime(started, read).TotalMilliseconds,
            System.Diagnostics.Stopwatch.GetElapsedTime(read, appended).TotalMilliseconds,
            System.Diagnostics.Stopwatch.GetElapsedTime(appended).TotalMilliseconds);

        // A time-out may end an order whose earlier attempt authorized the card and then failed to save: void it.
        // Other cancellations cannot follow an authorization (a refused part means the order was never ready to
        // pay; a declined or mismatched payment authorized nothing), so they do not call the processor at all.
        await Task.WhenAll(decided
            .Where(change => change.Events.OfType<OrderCancelled>().Any(cancelled => cancelled.Reason == CancellationReasons.Timeout))
            .Select(change => payments.VoidAsync(change.Order.Id, cancellationToken)));
    }

    /// <summary>The operator's cancel: a confirmed order is refunded, a pending one cancelled.</summary>
    public async Task<Order?> CancelByOperatorAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var stream = await session.Events.FetchForWriting<Order>(orderId, cancellationToken);
        if (stream.Aggregate is not { } order)
        {
            return null;
        }

        var now = time.GetUtcNow();
        switch (order.Status)
        {
            case OrderStatus.Confirmed:
                await payments.RefundAsync(orderId, cancellationToken);
                stream.AppendMany(
                    new PaymentRefunded(orderId, order.Total, order.Currency, now),
                    new OrderCancelled(orderId, order.FanId, order.HoldId, CancellationReasons.Refunded, WasConfirmed: true, now));
                break;
            case OrderStatus.Pending:
                stream.AppendOne(new OrderCancelled(orderId, order.FanId, order.HoldId, CancellationReasons.CancelledByOperator, WasConfirmed: false, now));
                break;
            default:
                return order;
        }

        await session.SaveChangesAsync(cancellationToken);
        if (order.Status == OrderStatus.Pending)
        {
            await payments.VoidAsync(orderId, cancellationToken);
        }

        return (await session.LoadAsync<Order>(orderId, cancellationToken))!;
    }

    public static IReadOnlyList<object> Cancel(Order order, string reason, DateTimeOffset now) =>
        [new OrderCancelled(order.Id, order.FanId, order.HoldId, reason, WasConfirmed: false, now)];

    private async Task<IReadOnlyList<object>> PayAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (order.Lines.Select(line => line.Currency).Distinct().Count() > 1)
        {
            return Cancel(order, CancellationReasons.CurrencyMismatch, now);
        }

        var result = await payments.AuthorizeAsync(order.Id, order.PaymentToken, order.Total, order.Currency, cancellationToken);
        return result.Approved
            ? [
                new PaymentAuthorized(order.Id, result.AuthorizationId!, order.Total, order.Currency, now),
                new OrderConfirmed(order.Id, order.FanId, order.HoldId, order.Total, order.Currency, now),
            ]
            : [
                new PaymentDeclined(order.Id, result.DeclineCode ?? "declined", now),
                new OrderCancelled(order.Id, order.FanId, order.HoldId, CancellationReasons.PaymentDeclined, WasConfirmed: false, now),
            ];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkout group: {Answers} answers, {Orders} orders changed, {Paid} paid; ms read {ReadMs:F1} pay {PayMs:F1} save {SaveMs:F1}")]
    private static partial void LogGroup(ILogger logger, int answers, int orders, int paid, double readMs, double payMs, double saveMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "A group of {Count} checkout answers lost a race for one of its orders; taking them one order at a time")]
    private static partial void LogGroupConflict(ILogger logger, Exception exception, int count);
}
